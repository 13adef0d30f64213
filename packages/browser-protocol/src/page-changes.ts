/** A tab that opened or closed during an action: its index among the instance's tabs, and its URL. */
export interface TabChange {
  readonly index: number;
  readonly url: string;
}

/**
 * What an action changed, each field only when it did: the page's URL and title, tabs opened and
 * closed, errors the page logged or threw, and the dialogs, downloads and file choosers it opened.
 */
export interface PageChanges {
  readonly url?: string;
  readonly title?: string;
  readonly tabsOpened?: readonly TabChange[];
  readonly tabsClosed?: readonly TabChange[];
  readonly errors?: readonly string[];
  readonly dialogs?: readonly string[];
  readonly downloads?: readonly string[];
  readonly fileChoosers?: readonly string[];
}

type Record_ = Record<string, unknown>;

function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const found = value.filter((item): item is string => typeof item === 'string');
  return found.length > 0 ? found : undefined;
}

function tabs(value: unknown): TabChange[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const found = value
    .filter((item): item is Record_ => typeof item === 'object' && item !== null)
    .filter((item) => typeof item.index === 'number')
    .map((item) => ({ index: item.index as number, url: typeof item.url === 'string' ? item.url : '' }));
  return found.length > 0 ? found : undefined;
}

/**
 * The `changes` of a reply as {@link PageChanges}, keeping only well-formed fields; undefined when
 * nothing changed (or the extension, an older one, does not say).
 *
 * @example
 * ```ts source="./index.examples.ts#decodeChanges"
 * decodeChanges({ title: 'Cart', errors: ['Uncaught TypeError'] }); // { title: 'Cart', errors: [...] }
 * decodeChanges(undefined); // undefined
 * ```
 */
export function decodeChanges(value: unknown): PageChanges | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record_;
  const changes: Record<string, unknown> = {};
  if (typeof record.url === 'string') changes.url = record.url;
  if (typeof record.title === 'string') changes.title = record.title;
  for (const key of ['tabsOpened', 'tabsClosed'] as const) {
    const found = tabs(record[key]);
    if (found) changes[key] = found;
  }
  for (const key of ['errors', 'dialogs', 'downloads', 'fileChoosers'] as const) {
    const found = strings(record[key]);
    if (found) changes[key] = found;
  }
  return Object.keys(changes).length > 0 ? (changes as PageChanges) : undefined;
}
