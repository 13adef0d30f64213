/**
 * One line of a snapshot as the page computes it: depth, role (`text` for text), name, value,
 * states, and the ref of an interactive element ('' when it has none).
 */
export type SnapshotRow = [
  depth: number,
  role: string,
  name: string,
  value: string,
  states: string[],
  ref: string,
];

/** Where the page keeps the elements of the latest snapshot's refs, in our isolated world. */
export const REFS_KEY = '__browserMcpRefs';

/**
 * Walks the page's DOM and returns it as rows, keeping `ref → Element` in the isolated world
 * (`globalThis[REFS_KEY]`). This function runs IN THE PAGE: it is sent as its source text, so it
 * must use nothing from outside its own body. One evaluation does the whole walk, which is what
 * makes a snapshot of a large page fast (the DevTools accessibility tree is serialised node by
 * node through the debugger, ~40× slower on 1,000 elements).
 */
export function collectSnapshot(generation: number, refsKey: string): SnapshotRow[] {
  const HEADING_LEVELS: Record<string, number> = { H1: 1, H2: 2, H3: 3, H4: 4, H5: 5, H6: 6 };
  const INPUT_ROLES: Record<string, string> = {
    button: 'button',
    submit: 'button',
    reset: 'button',
    image: 'button',
    file: 'button',
    checkbox: 'checkbox',
    radio: 'radio',
    range: 'slider',
    number: 'spinbutton',
    search: 'searchbox',
    hidden: '',
  };
  const TAG_ROLES: Record<string, string> = {
    BUTTON: 'button',
    TEXTAREA: 'textbox',
    UL: 'list',
    OL: 'list',
    LI: 'listitem',
    NAV: 'navigation',
    MAIN: 'main',
    HEADER: 'banner',
    FOOTER: 'contentinfo',
    ASIDE: 'complementary',
    FORM: 'form',
    TABLE: 'table',
    TR: 'row',
    TD: 'cell',
    TH: 'columnheader',
    OPTION: 'option',
    DIALOG: 'dialog',
    SUMMARY: 'button',
    FIELDSET: 'group',
    PROGRESS: 'progressbar',
    HR: 'separator',
    ARTICLE: 'article',
    IFRAME: 'iframe',
    OUTPUT: 'status',
    LABEL: '',
  };
  const NAME_FROM_CONTENT = new Set([
    'button',
    'link',
    'heading',
    'option',
    'cell',
    'columnheader',
    'menuitem',
    'tab',
    'treeitem',
    'checkbox',
    'radio',
    'switch',
  ]);
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
  ]);
  // Not controls, but what a model names or acts on: images, regions, lists and their items.
  const NAMED_PARTS = new Set([
    'img',
    'figure',
    'region',
    'list',
    'listitem',
    'dialog',
    'table',
    'row',
    'article',
  ]);
  const WITH_VALUE = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton', 'slider']);
  const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD', 'META', 'LINK', 'SVG']);
  const MAX_TEXT = 300;

  const clean = (text: unknown): string => {
    const flat = String(text ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT)}…` : flat;
  };
  const roleOf = (el: Element): string => {
    const explicit = el.getAttribute('role');
    if (explicit) return explicit.trim().split(/\s+/)[0] ?? '';
    const tag = el.tagName;
    if (tag === 'A') return el.hasAttribute('href') ? 'link' : '';
    if (tag === 'INPUT') {
      const type = ((el as HTMLInputElement).type || 'text').toLowerCase();
      return type in INPUT_ROLES ? (INPUT_ROLES[type] as string) : 'textbox';
    }
    if (tag === 'SELECT')
      return (el as HTMLSelectElement).multiple || (el as HTMLSelectElement).size > 1
        ? 'listbox'
        : 'combobox';
    if (tag === 'IMG') return el.getAttribute('alt') === '' ? '' : 'img';
    if (tag === 'SECTION')
      return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : '';
    if (tag === 'FIGURE') return 'figure';
    if (tag in HEADING_LEVELS) return 'heading';
    if (el.hasAttribute('contenteditable') && (el as HTMLElement).isContentEditable) return 'textbox';
    return TAG_ROLES[tag] ?? '';
  };
  const textOfIds = (ids: string): string =>
    ids
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
  // A label's text without the text of the control inside it (a <select>'s options).
  const textBesides = (node: Node, control: Element): string => {
    if (node === control) return '';
    if (!node.contains(control)) return node.textContent ?? '';
    let text = '';
    for (const child of node.childNodes) text += textBesides(child, control);
    return text;
  };
  const nameOf = (el: Element, role: string): string => {
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) return clean(textOfIds(labelledBy));
    const label = el.getAttribute('aria-label');
    if (label) return clean(label);
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length > 0) return clean([...labels].map((l) => textBesides(l, el)).join(' '));
    if (el.tagName === 'IMG') return clean(el.getAttribute('alt'));
    if (el.tagName === 'INPUT' && role === 'button')
      return clean((el as HTMLInputElement).value || el.getAttribute('alt'));
    if (NAME_FROM_CONTENT.has(role)) {
      const content = clean(el.textContent);
      if (content) return content;
    }
    return clean(el.getAttribute('title') ?? el.getAttribute('placeholder') ?? '');
  };
  const fieldValue = (el: Element, role: string): string => {
    if (!WITH_VALUE.has(role)) return '';
    if (el.tagName === 'SELECT') return clean((el as HTMLSelectElement).selectedOptions[0]?.textContent);
    if ('value' in el) return clean((el as HTMLInputElement).value);
    return (el as HTMLElement).isContentEditable ? clean(el.textContent) : '';
  };
  const statesOf = (el: Element, role: string): string[] => {
    const states: string[] = [];
    if (role === 'checkbox' || role === 'radio' || role === 'switch') {
      const checked =
        el.getAttribute('aria-checked') ?? ((el as HTMLInputElement).checked ? 'true' : 'false');
      if (checked === 'true') states.push('checked');
      else if (checked === 'mixed') states.push('checked=mixed');
    }
    if ((el as HTMLButtonElement).disabled || el.getAttribute('aria-disabled') === 'true')
      states.push('disabled');
    if (
      el.getAttribute('aria-expanded') === 'true' ||
      (el.tagName === 'DETAILS' && (el as HTMLDetailsElement).open)
    ) {
      states.push('expanded');
    }
    if (el.getAttribute('aria-pressed') === 'true') states.push('pressed');
    if (
      role === 'option' &&
      ((el as HTMLOptionElement).selected || el.getAttribute('aria-selected') === 'true')
    ) {
      states.push('selected');
    }
    if ((el as HTMLInputElement).required || el.getAttribute('aria-required') === 'true')
      states.push('required');
    if ((el as HTMLInputElement).readOnly) states.push('readonly');
    if (el === document.activeElement) states.push('focused');
    if (role === 'heading')
      states.push(`level=${HEADING_LEVELS[el.tagName] ?? el.getAttribute('aria-level') ?? 2}`);
    return states;
  };

  const refs = new Map<string, Element>();
  const rows: SnapshotRow[] = [];
  let counter = 0;
  // Iterative, children in order: a deep page must not overflow the stack.
  const stack: { node: Node; depth: number; parentTexts: string[] }[] = [];
  if (document.body) stack.push({ node: document.body, depth: 0, parentTexts: [] });
  while (stack.length > 0) {
    const { node, depth, parentTexts } = stack.pop() as { node: Node; depth: number; parentTexts: string[] };
    if (node.nodeType === Node.TEXT_NODE) {
      const text = clean((node as Text).data);
      const parent = node.parentElement;
      const shown = parent ? parent.checkVisibility({ visibilityProperty: true }) : true;
      if (text && shown && !parentTexts.includes(text)) rows.push([depth, 'text', text, '', [], '']);
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const el = node as Element;
    if (SKIPPED.has(el.tagName.toUpperCase()) || el.getAttribute('aria-hidden') === 'true') continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' && el.tagName !== 'OPTION') continue;
    // Drag sources and drop targets (an inline handler, aria-dropeffect, or a name that says so)
    // get a row and a ref even without a role: a card and its drop zone are what a drag names.
    const dragSource = el.getAttribute('draggable') === 'true';
    const dropTarget =
      el.hasAttribute('ondrop') ||
      el.hasAttribute('ondragover') ||
      el.hasAttribute('aria-dropeffect') ||
      /(^|[\s_-])(drop|dropzone|drop-zone|droppable)([\s_-]|$)/i.test(
        `${el.id} ${el.getAttribute('class') ?? ''}`,
      );
    const role = roleOf(el) || (dragSource || dropTarget ? 'generic' : '');
    let childDepth = depth;
    let childTexts = parentTexts;
    const visible = el.tagName === 'OPTION' || el.checkVisibility({ visibilityProperty: true });
    const shownRole = role !== '' && role !== 'none' && role !== 'presentation' && role !== 'generic';
    if (visible && (shownRole || dragSource || dropTarget)) {
      const name =
        role === 'generic' || dragSource
          ? clean(el.getAttribute('aria-label') ?? el.getAttribute('title') ?? el.textContent)
          : nameOf(el, role);
      const value = fieldValue(el, role);
      let ref = '';
      if (
        INTERACTIVE.has(role) ||
        NAMED_PARTS.has(role) ||
        dragSource ||
        dropTarget ||
        (el.hasAttribute('tabindex') && (el as HTMLElement).tabIndex >= 0)
      ) {
        counter += 1;
        ref = `s${generation}e${counter}`;
        refs.set(ref, el);
      }
      const states = statesOf(el, role);
      if (dragSource) states.push('draggable');
      if (dropTarget) states.push('drop target');
      rows.push([depth, role, name, value === name ? '' : value, states, ref]);
      childDepth = depth + 1;
      childTexts = [name, value];
    }
    // A web component shows its shadow tree, and a slot there shows the light-DOM nodes assigned to it.
    const assigned = el.tagName === 'SLOT' ? (el as HTMLSlotElement).assignedNodes() : [];
    const children = assigned.length > 0 ? assigned : ((el as HTMLElement).shadowRoot ?? el).childNodes;
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ node: children[i] as Node, depth: childDepth, parentTexts: childTexts });
    }
  }
  (globalThis as Record<string, unknown>)[refsKey] = { generation, refs };
  return rows;
}
