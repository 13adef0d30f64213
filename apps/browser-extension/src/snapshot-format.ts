/** One node of `Accessibility.getFullAXTree`, as much of it as the snapshot reads. */
export interface AXNode {
  readonly nodeId: string;
  readonly ignored?: boolean;
  readonly role?: { readonly value?: unknown };
  readonly name?: { readonly value?: unknown };
  readonly value?: { readonly value?: unknown };
  readonly properties?: readonly { readonly name: string; readonly value: { readonly value?: unknown } }[];
  readonly childIds?: readonly string[];
  readonly parentId?: string;
  readonly backendDOMNodeId?: number;
}

/** A snapshot as text, and what each of its refs points at. */
export interface FormattedSnapshot {
  readonly text: string;
  /** ref → the DOM node (`backendNodeId`) it names. */
  readonly refs: ReadonlyMap<string, number>;
}

/** One node still to print, with its depth and the texts its printed parent already shows. */
interface Frame {
  readonly id: string;
  readonly depth: number;
  readonly parentTexts: readonly string[];
}

/** Roles a model acts on: each gets a ref. Any focusable node gets one too. */
const INTERACTIVE = new Set([
  'button',
  'link',
  'textbox',
  'searchbox',
  'checkbox',
  'radio',
  'combobox',
  'listbox',
  'option',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'tab',
  'slider',
  'spinbutton',
  'switch',
  'treeitem',
  'PopUpButton',
  'MenuListPopup',
  'MenuListOption',
]);

/** Roles that are only structure: not printed (their children are). */
const TRANSPARENT = new Set([
  'none',
  'generic',
  'InlineTextBox',
  'LineBreak',
  'presentation',
  'RootWebArea',
  'paragraph',
  'div',
]);

const STATE_PROPERTIES = [
  'checked',
  'pressed',
  'expanded',
  'selected',
  'disabled',
  'focused',
  'required',
  'readonly',
  'invalid',
  'level',
];

const MAX_NAME = 300;

/**
 * The accessibility tree as text, one line per node (`- role "name" [value] [states] [ref=…]`),
 * indented by depth. Nodes that are only structure are left out and their children lifted; text
 * that only repeats its parent's name or value is left out. Every interactive or focusable node gets a ref
 * `s<generation>e<n>`, so a ref from an older snapshot is recognisable as such.
 */
export function formatSnapshot(nodes: readonly AXNode[], generation: number): FormattedSnapshot {
  const byId = new Map(nodes.map((node) => [node.nodeId, node]));
  const root = nodes.find((node) => node.parentId === undefined || !byId.has(node.parentId));
  const refs = new Map<string, number>();
  const lines: string[] = [];
  let counter = 0;

  // Iterative depth-first walk: a deep page must not overflow the stack.
  const stack: Frame[] = root ? [{ id: root.nodeId, depth: 0, parentTexts: [] }] : [];
  while (stack.length > 0) {
    const { id, depth, parentTexts } = stack.pop() as Frame;
    const node = byId.get(id);
    if (!node) continue;
    const role = String(node.role?.value ?? '');
    const name = clean(node.name?.value);
    const value = clean(node.value?.value);
    let printed = false;
    if (!node.ignored && !TRANSPARENT.has(role)) {
      if (role === 'StaticText') {
        if (name !== '' && !parentTexts.includes(name)) {
          lines.push(`${'  '.repeat(depth)}- text: ${quote(name)}`);
        }
      } else if (role !== '' && !(role === 'image' && name === '')) {
        const parts = [`${'  '.repeat(depth)}- ${role}`];
        if (name !== '') parts.push(quote(name));
        if (value !== '' && value !== name) parts.push(`[value=${quote(value)}]`);
        for (const state of states(node)) parts.push(`[${state}]`);
        if (node.backendDOMNodeId !== undefined && (INTERACTIVE.has(role) || isFocusable(node))) {
          counter += 1;
          const ref = `s${generation}e${counter}`;
          refs.set(ref, node.backendDOMNodeId);
          parts.push(`[ref=${ref}]`);
        }
        lines.push(parts.join(' '));
        printed = true;
      }
    }
    const children = node.childIds ?? [];
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({
        id: children[i] as string,
        depth: printed ? depth + 1 : depth,
        parentTexts: printed ? [name, value] : parentTexts,
      });
    }
  }
  return { text: lines.length > 0 ? lines.join('\n') : '- document (empty)', refs };
}

function states(node: AXNode): string[] {
  const result: string[] = [];
  for (const property of node.properties ?? []) {
    if (!STATE_PROPERTIES.includes(property.name)) continue;
    const value = property.value.value;
    if (value === false || value === undefined || value === 'false') continue;
    result.push(value === true || value === 'true' ? property.name : `${property.name}=${String(value)}`);
  }
  return result;
}

function isFocusable(node: AXNode): boolean {
  return (node.properties ?? []).some((p) => p.name === 'focusable' && p.value.value === true);
}

function clean(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value).replace(/\s+/g, ' ').trim();
  return text.length > MAX_NAME ? `${text.slice(0, MAX_NAME)}…` : text;
}

function quote(text: string): string {
  return JSON.stringify(text);
}
