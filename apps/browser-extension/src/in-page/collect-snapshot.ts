/**
 * One line of a snapshot as the page computes it: depth, role (`text` for text), name, value,
 * states, the ref of an interactive element ('' when it has none), and for a frame whose document
 * this world cannot reach (another origin, often another process) the index of its element in
 * the store's `frames`, so the extension walks that frame in its own world and puts it here.
 */
export type SnapshotRow = [
  depth: number,
  role: string,
  name: string,
  value: string,
  states: string[],
  ref: string,
  frame?: number,
];

/** Where the page keeps the elements of the latest snapshot's refs, in our isolated world. */
export const REFS_KEY = '__browserMcpRefs';

/** What a walk is asked to do. */
export interface WalkOptions {
  /** The snapshot generation refs carry (`s<generation>…`). */
  readonly generation: number;
  /** Between the generation and the element number: '' in the main frame, `f<n>` in a frame walked apart. */
  readonly prefix: string;
  /** The global the refs live under (REFS_KEY). */
  readonly refsKey: string;
  /** Walk only the element of this ref (of the same generation), keeping the refs already handed out. */
  readonly root?: string;
  /** Leave out rows deeper than this below the root (the row that hides some ends in …). */
  readonly depth?: number;
}

/** What a walk answers: its rows, or that the root ref is not in this world (stale). */
export type WalkResult = { readonly rows: SnapshotRow[] } | { readonly stale: true };

/**
 * The elements behind a world's refs: `refs` ref → element, `byElement` the other way (a subtree
 * walk gives an element the ref it already has), `frames` the frame elements left to the extension.
 */
export interface RefStore {
  readonly generation: number;
  readonly prefix: string;
  readonly refs: Map<string, Element>;
  readonly byElement: Map<Element, string>;
  readonly frames: Element[];
  counter: number;
}

/**
 * Walks the page's DOM and returns it as rows, keeping the elements behind refs in the isolated
 * world (`globalThis[refsKey]`, a {@link RefStore}). Same-origin frames are walked in line; others
 * are left as placeholder rows. This function runs IN THE PAGE: it is sent as its source text, so
 * it must use nothing from outside its own body. One evaluation does the whole walk, which is what
 * makes a snapshot of a large page fast (the DevTools accessibility tree is serialised node by
 * node through the debugger, ~40× slower on 1,000 elements).
 */
export function collectSnapshot(options: WalkOptions): WalkResult {
  const { generation, prefix, refsKey } = options;
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
  /**
   * Not controls, but parts a model names or acts on (a subtree snapshot, an element screenshot,
   * a drag): landmarks, regions, lists and their items, tables and rows, images, frames.
   */
  const CONTAINERS = new Set([
    'navigation',
    'main',
    'banner',
    'contentinfo',
    'complementary',
    'region',
    'search',
    'form',
    'dialog',
    'alertdialog',
    'table',
    'row',
    'list',
    'listitem',
    'group',
    'article',
    'menu',
    'tabpanel',
    'iframe',
    'img',
    'figure',
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
    if (tag === 'FRAME') return 'iframe';
    if (el.hasAttribute('contenteditable') && (el as HTMLElement).isContentEditable) return 'textbox';
    return TAG_ROLES[tag] ?? '';
  };
  const textOfIds = (el: Element, ids: string): string =>
    ids
      .split(/\s+/)
      .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' ');
  /** An icon-only control is named by its picture or an inner label. */
  const innerName = (el: Element): string => {
    const labelled = el.querySelector('img[alt]:not([alt=""]), [aria-label], svg title');
    if (!labelled) return '';
    if (labelled.tagName === 'IMG') return clean(labelled.getAttribute('alt'));
    return clean(labelled.getAttribute('aria-label') ?? labelled.textContent);
  };
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
    if (labelledBy) return clean(textOfIds(el, labelledBy));
    const label = el.getAttribute('aria-label');
    if (label) return clean(label);
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length > 0) return clean([...labels].map((l) => textBesides(l, el)).join(' '));
    if (el.tagName === 'IMG') return clean(el.getAttribute('alt'));
    if (el.tagName === 'INPUT' && role === 'button')
      return clean((el as HTMLInputElement).value || el.getAttribute('alt'));
    if (el.tagName === 'FIELDSET') {
      const legend = el.querySelector(':scope > legend');
      if (legend) return clean(legend.textContent);
    }
    if (NAME_FROM_CONTENT.has(role)) {
      const content = clean(el.textContent) || innerName(el);
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
    if (el === el.ownerDocument.activeElement && el !== el.ownerDocument.body) states.push('focused');
    if (role === 'heading')
      states.push(`level=${HEADING_LEVELS[el.tagName] ?? el.getAttribute('aria-level') ?? 2}`);
    return states;
  };
  /** Elements whose text already names a control (its <label>, an aria-labelledby target): not repeated as text. */
  const namers = new Map<Document, Set<Element>>();
  const isNamer = (el: Element): boolean => {
    const doc = el.ownerDocument;
    let set = namers.get(doc);
    if (!set) {
      set = new Set();
      for (const labelled of doc.querySelectorAll('[aria-labelledby]')) {
        for (const id of (labelled.getAttribute('aria-labelledby') ?? '').split(/\s+/)) {
          const target = id ? doc.getElementById(id) : null;
          if (target && !labelled.contains(target)) set.add(target);
        }
      }
      namers.set(doc, set);
    }
    if (set.has(el)) return true;
    if (el.tagName !== 'LABEL') return false;
    const control = (el as HTMLLabelElement).control;
    return control?.checkVisibility() === true;
  };

  const previous = (globalThis as Record<string, unknown>)[refsKey] as RefStore | undefined;
  let store: RefStore;
  let start: Node | null;
  if (options.root !== undefined) {
    const root = previous?.generation === generation ? previous.refs.get(options.root) : undefined;
    if (!previous || !root?.isConnected) return { stale: true };
    store = previous;
    start = root;
  } else {
    store = { generation, prefix, refs: new Map(), byElement: new Map(), frames: [], counter: 0 };
    start = document.body;
  }
  const maxDepth = options.depth ?? Number.POSITIVE_INFINITY;
  const rows: SnapshotRow[] = [];
  // Iterative, children in order: a deep page must not overflow the stack.
  interface Item {
    node: Node;
    depth: number;
    parentTexts: string[];
    /** Inside a label whose text names its control: text is left out. */
    quiet: boolean;
  }
  const stack: Item[] = [];
  if (start) stack.push({ node: start, depth: 0, parentTexts: [], quiet: false });
  const push = (row: SnapshotRow): boolean => {
    if (row[0] > maxDepth) {
      const last = rows[rows.length - 1];
      if (last && !last[4].includes('…')) last[4].push('…');
      return false;
    }
    rows.push(row);
    return true;
  };
  while (stack.length > 0) {
    const { node, depth, parentTexts, quiet } = stack.pop() as Item;
    if (node.nodeType === Node.TEXT_NODE) {
      if (quiet) continue;
      const text = clean((node as Text).data);
      const parent = node.parentElement;
      const shown = parent ? parent.checkVisibility({ visibilityProperty: true }) : true;
      if (text && shown && !parentTexts.includes(text)) push([depth, 'text', text, '', [], '']);
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
      // A picture or text that only repeats its parent's name says nothing new.
      if ((role === 'img' || role === 'text') && parentTexts.includes(name)) continue;
      const value = fieldValue(el, role);
      const states = statesOf(el, role);
      if (dragSource) states.push('draggable');
      if (dropTarget) states.push('drop target');
      if (el.tagName === 'SELECT' && role === 'combobox') {
        // A drop-down's options are picked by value with browser_select_option: one line lists them.
        let ref = store.byElement.get(el) ?? '';
        if (ref === '' && depth <= maxDepth) {
          store.counter += 1;
          ref = `s${generation}${store.prefix}e${store.counter}`;
          store.refs.set(ref, el);
          store.byElement.set(el, ref);
        }
        if (!push([depth, role, name, value === name ? '' : value, states, ref])) continue;
        const labels = [...(el as HTMLSelectElement).options].map((o) => clean(o.label || o.text));
        if (labels.length > 0) push([depth + 1, 'options', labels.join('|'), '', [], '']);
        continue;
      }
      let ref = '';
      const inNativeSelect = el.tagName === 'OPTION' || el.tagName === 'OPTGROUP';
      if (
        !inNativeSelect &&
        (INTERACTIVE.has(role) ||
          CONTAINERS.has(role) ||
          dragSource ||
          dropTarget ||
          (el.hasAttribute('tabindex') && (el as HTMLElement).tabIndex >= 0)) &&
        depth <= maxDepth
      ) {
        ref = store.byElement.get(el) ?? '';
        if (ref === '') {
          store.counter += 1;
          ref = `s${generation}${store.prefix}e${store.counter}`;
          store.refs.set(ref, el);
          store.byElement.set(el, ref);
        }
      }
      const row: SnapshotRow = [depth, role, name, value === name ? '' : value, states, ref];
      if (role === 'iframe') {
        let inner: Document | null = null;
        try {
          inner = (el as HTMLIFrameElement).contentDocument;
        } catch {
          inner = null;
        }
        if (!inner) {
          // Another origin: the extension walks it in that frame's own world.
          if (depth < maxDepth) {
            store.frames.push(el);
            row[6] = store.frames.length - 1;
          }
          push(row);
          continue;
        }
        if (!push(row)) continue;
        if (inner.body) stack.push({ node: inner.body, depth: depth + 1, parentTexts: [name], quiet: false });
        continue;
      }
      if (!push(row)) continue;
      childDepth = depth + 1;
      childTexts = [name, value];
    }
    const childQuiet = quiet || isNamer(el);
    // A web component shows its shadow tree, and a slot there shows the light-DOM nodes assigned to it.
    const assigned = el.tagName === 'SLOT' ? (el as HTMLSlotElement).assignedNodes() : [];
    const children = assigned.length > 0 ? assigned : ((el as HTMLElement).shadowRoot ?? el).childNodes;
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({
        node: children[i] as Node,
        depth: childDepth,
        parentTexts: childTexts,
        quiet: childQuiet,
      });
    }
  }
  (globalThis as Record<string, unknown>)[refsKey] = store;
  return { rows };
}
