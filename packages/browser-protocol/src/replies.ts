import { ProtocolError } from './errors.js';

/** What a tab of the instance looks like in a `browser_tabs` reply. */
export interface TabInfo {
  /** Position among the instance's own tabs, from 0. */
  readonly index: number;
  readonly url: string;
  readonly title: string;
  /** The tab commands of this instance act on. */
  readonly active: boolean;
}

/** The page a navigation ended on. */
export interface PageReply {
  readonly url: string;
  readonly title: string;
  /**
   * A dialog the page opened while loading (an alert on load, a beforeunload on leaving). One that
   * stays open blocks the load: the reply then names the page it was going to, with no title.
   */
  readonly dialog?: DialogInfo;
}

/** What `browser_evaluate` answers: the JSON of the function's result (`undefined` when it returned nothing). */
export interface EvaluateReply {
  readonly result: string;
  /** A dialog the function opened (its result is then unknown: the dialog blocks it). */
  readonly dialog?: DialogInfo;
}

/** The page as text, each element a model may act on with its `[ref=…]`. */
export interface SnapshotReply extends PageReply {
  readonly snapshot: string;
}

/** A JavaScript dialog the page opened; it blocks the page until `browser_handle_dialog` answers it. */
export interface DialogInfo {
  readonly type: 'alert' | 'confirm' | 'prompt' | 'beforeunload';
  readonly message: string;
  /** A prompt's default text. */
  readonly defaultPrompt?: string;
  /** Set when the server's `--dialogs` policy answered it at once (nothing is left open). */
  readonly handled?: 'accepted' | 'dismissed';
}

/** A file chooser the page opened; `browser_file_upload` sets its files. */
export interface FileChooserInfo {
  /** Whether it takes more than one file. */
  readonly multiple: boolean;
}

/**
 * What an action answers once it happened. `dialog` and `fileChooser` say that the action opened
 * one (a model must answer it next).
 */
export interface ActionReply {
  /** What was done, in words, e.g. `Clicked Sign in button`. */
  readonly message: string;
  readonly dialog?: DialogInfo;
  readonly fileChooser?: FileChooserInfo;
}

/** One console message: its level (`log`, `warning`, `error`, `dialog`…) and its text. */
export interface ConsoleEntry {
  readonly level: string;
  readonly text: string;
  /** ms since the epoch. */
  readonly timestamp?: number;
}

/** The page's console since its last navigation. */
export interface ConsoleReply {
  readonly logs: readonly ConsoleEntry[];
}

/** An image as MCP image content carries it: bare base64 and its type. */
export interface ScreenshotReply {
  readonly data: string;
  readonly mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
}

/** The instance's tabs after a `browser_tabs` action (`text`: the older extension's summary). */
export interface TabsReply {
  readonly tabs: readonly TabInfo[];
  readonly text?: string;
}

/** How long `browser_wait_for` waited. */
export interface WaitForReply {
  readonly waitedMs: number;
  readonly found?: boolean;
  readonly text?: string;
}

type Record_ = Record<string, unknown>;

function recordOf(payload: unknown): Record_ {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
    ? (payload as Record_)
    : {};
}

function str(record: Record_, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The older extension reports failure inside a reply: an `error` field, or `success` that is not
 * `true`. Throws `EFAILED` with what it said.
 */
function checkFailure(payload: unknown): Record_ {
  const record = recordOf(payload);
  const said = str(record, 'message') || str(record, 'reason') || str(record, 'text');
  if (record.error !== undefined && record.error !== null && record.error !== false) {
    throw new ProtocolError('EFAILED', `${errorText(record.error)}.`);
  }
  if ('success' in record && record.success !== true) {
    const outcome = record.success === false ? 'it did not succeed' : 'it could not confirm the action';
    throw new ProtocolError('EFAILED', said ? `${said} (${outcome}).` : `${outcome}.`);
  }
  return record;
}

/** `{url?, title?}` (both shapes). */
export function decodePage(payload: unknown): PageReply {
  const record = checkFailure(payload);
  return { url: str(record, 'url') ?? '', title: str(record, 'title') ?? '', ...dialogOf(record) };
}

/** `{snapshot, url?, title?}`; a `null` or missing snapshot is the older extension's failure. */
export function decodeSnapshot(payload: unknown): SnapshotReply {
  const record = checkFailure(payload);
  if (typeof record.snapshot !== 'string') {
    const said = str(record, 'message') || str(record, 'reason');
    throw new ProtocolError(
      'EFAILED',
      said ? `${said} (no snapshot).` : 'it returned no snapshot of the page.',
    );
  }
  return { snapshot: record.snapshot, url: str(record, 'url') ?? '', title: str(record, 'title') ?? '' };
}

const DIALOG_TYPES: ReadonlySet<string> = new Set(['alert', 'confirm', 'prompt', 'beforeunload']);

/** `{result, dialog?}`: the result's JSON as text. */
export function decodeEvaluate(payload: unknown): EvaluateReply {
  const record = checkFailure(payload);
  const result = str(record, 'result');
  if (result === undefined) throw new ProtocolError('EBADREPLY', 'the evaluate reply has no result.');
  return { result, ...dialogOf(record) };
}

/** `{message, dialog?, fileChooser?}`, or the older `{success: true, message?}`. */
export function decodeAction(payload: unknown): ActionReply {
  const record = checkFailure(payload);
  const chooser = recordOf(record.fileChooser);
  return {
    message: str(record, 'message') || str(record, 'text') || 'Done.',
    ...dialogOf(record),
    ...(record.fileChooser !== undefined ? { fileChooser: { multiple: chooser.multiple === true } } : {}),
  };
}

function dialogOf(record: Record_): { dialog?: DialogInfo } {
  const dialog = recordOf(record.dialog);
  return {
    ...(typeof dialog.type === 'string' && DIALOG_TYPES.has(dialog.type)
      ? {
          dialog: {
            type: dialog.type as DialogInfo['type'],
            message: str(dialog, 'message') ?? '',
            ...(typeof dialog.defaultPrompt === 'string' ? { defaultPrompt: dialog.defaultPrompt } : {}),
            ...(dialog.handled === 'accepted' || dialog.handled === 'dismissed'
              ? { handled: dialog.handled }
              : {}),
          },
        }
      : {}),
  };
}

/** `{logs}` with entries `{level, text}` (ours, and the older main line) or `{type, args}` (v1.21.0). */
export function decodeConsole(payload: unknown): ConsoleReply {
  const record = checkFailure(payload);
  if (!Array.isArray(record.logs)) throw new ProtocolError('EBADREPLY', 'the console reply has no logs.');
  return { logs: record.logs.map(consoleEntry) };
}

function consoleEntry(entry: unknown): ConsoleEntry {
  if (typeof entry !== 'object' || entry === null) return { level: 'log', text: renderValue(entry) };
  const { level, type, text, message, args, timestamp } = entry as Record_;
  const kind = typeof level === 'string' ? level : typeof type === 'string' ? type : 'log';
  let body: string;
  if (Array.isArray(args)) body = consoleText(args);
  else if (text !== undefined) body = renderValue(text);
  else if (message !== undefined) body = renderValue(message);
  else body = renderValue(entry);
  return { level: kind, text: body, ...(typeof timestamp === 'number' ? { timestamp } : {}) };
}

/** Console arguments as a person reads them: strings bare, objects as compact JSON, space-separated. */
export function consoleText(args: readonly unknown[]): string {
  return args.map(renderValue).join(' ');
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);
const DATA_URL = /^data:(image\/[a-z+.-]+);base64,(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * A screenshot in any of the shapes extensions send: `{data, mimeType}` with bare base64 (ours;
 * PNG when no type is given), `{dataUrl}`, or `{data: "data:…"}`. Throws `EBADREPLY`, saying
 * what was received, for anything else.
 */
export function decodeScreenshot(payload: unknown): ScreenshotReply {
  const record = checkFailure(payload);
  const source: unknown = typeof record.dataUrl === 'string' ? record.dataUrl : record.data;
  if (typeof source === 'string') {
    const url = DATA_URL.exec(source);
    const mimeType = url ? url[1] : (str(record, 'mimeType') ?? 'image/png');
    const data = (url ? (url[2] ?? '') : source).replace(/\s+/g, '');
    if (mimeType !== undefined && IMAGE_TYPES.has(mimeType) && isBase64(data)) {
      return { data, mimeType: mimeType as ScreenshotReply['mimeType'] };
    }
  }
  const keys = Object.keys(record);
  throw new ProtocolError(
    'EBADREPLY',
    'the screenshot came without a usable image (expected {data, mimeType} or {dataUrl: "data:image/png;base64,…"}; ' +
      `got ${keys.length > 0 ? `fields ${keys.join(', ')}` : JSON.stringify(payload)}).`,
  );
}

function isBase64(data: string): boolean {
  return data.length > 0 && data.length % 4 === 0 && BASE64.test(data);
}

/** `{tabs, text?}`; the older extension may send only `text`. */
export function decodeTabs(payload: unknown): TabsReply {
  const record = checkFailure(payload);
  const tabs = Array.isArray(record.tabs) ? record.tabs.map(recordOf) : [];
  const text = str(record, 'text');
  return {
    tabs: tabs.map((tab, index) => ({
      index: typeof tab.index === 'number' ? tab.index : index,
      url: str(tab, 'url') ?? '',
      title: str(tab, 'title') ?? '',
      active: tab.active === true,
    })),
    ...(text !== undefined ? { text } : {}),
  };
}

/** `{waitedMs, found?, text?}`. */
export function decodeWaitFor(payload: unknown): WaitForReply {
  const record = checkFailure(payload);
  const text = str(record, 'text');
  return {
    waitedMs: typeof record.waitedMs === 'number' ? record.waitedMs : 0,
    ...(typeof record.found === 'boolean' ? { found: record.found } : {}),
    ...(text !== undefined ? { text } : {}),
  };
}

/** An error as words: a string as is, `{message}` by its message, anything else as JSON. */
export function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const { message } = error as { message?: unknown };
    if (typeof message === 'string' && message !== '') return message;
  }
  return JSON.stringify(error) ?? String(error);
}
