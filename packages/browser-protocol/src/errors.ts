/**
 * Error codes that cross the wire: the extension sends one with every error reply, the server
 * rebuilds the error with the same code, and the hint a model gets is chosen by that code.
 */
export const ERROR_CODES = [
  /** A ref from an older snapshot, or its element left the page. */
  'ESTALEREF',
  /** A ref no snapshot named. */
  'EUNKNOWNREF',
  /** A ref whose element is not of the kind the command needs (a checkbox given to a textbox field). */
  'EREFKIND',
  /** The element has no box on the page (hidden, zero-sized, detached). */
  'ENOBOX',
  /** A dialog (alert, confirm, prompt, beforeunload) is open and blocks the page. */
  'EDIALOGOPEN',
  /** `browser_handle_dialog` was called with no dialog open. */
  'ENODIALOG',
  /** `browser_file_upload` was called with no file chooser open. */
  'ENOFILECHOOSER',
  /** The instance has no tab and none could be opened. */
  'ENOTAB',
  /** Chrome does not let extensions control the page (chrome://, the Web Store). */
  'ERESTRICTED',
  /** The page did not do what was waited for in time. */
  'ETIMEOUT',
  /** A navigation failed, or there is no page to go back or forward to. */
  'ENAVIGATION',
  /** A payload field is missing or has the wrong type or value. */
  'EBADARGS',
  /** The function given to evaluate does not parse, or it threw in the page. */
  'EEVALUATE',
  /** The DevTools protocol refused a command, or the debugger was detached. */
  'EDEBUGGER',
  /** The command is not one this extension knows (it is older than the server). */
  'EUNSUPPORTED',
  /** The command names an instance this connection does not serve. */
  'EWRONGINSTANCE',
  /** The extension said the command did not succeed, without a code (the older extension). */
  'EFAILED',
  /** The reply has a shape the command's decoder cannot read. */
  'EBADREPLY',
  /** An error reply without a code (the older extension), or with one this protocol does not know. */
  'EEXTENSION',
] as const;

/** A code of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** True when `value` is a code of {@link ERROR_CODES}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * A command that failed, on either side of the wire: the `code` travels with the message.
 *
 * @example
 * ```ts source="./index.examples.ts#ProtocolError"
 * throw new ProtocolError('ESTALEREF', 'Ref s3e4 (OK button) is from an older snapshot.');
 * ```
 */
export class ProtocolError extends Error {
  override readonly name: string = 'ProtocolError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** What to try after each code, so a model always learns its next step. */
const HINTS: Readonly<Partial<Record<ErrorCode, string>>> = {
  ESTALEREF: 'Take a new browser_snapshot and use a ref from it.',
  EUNKNOWNREF: 'Take a new browser_snapshot and use a ref from it.',
  EREFKIND: 'Take a new browser_snapshot and use the ref of an element of the right kind.',
  ENOBOX: 'Take a new browser_snapshot and pick a visible element.',
  EDIALOGOPEN: 'Answer it with browser_handle_dialog first.',
  ENODIALOG: 'Use browser_handle_dialog only after an action’s reply reports a dialog.',
  ENOFILECHOOSER:
    'Click the element that opens the file chooser first (its reply says when one opened), then call browser_file_upload.',
  ENOTAB: 'Try again: the next command opens a tab for this session.',
  ERESTRICTED: 'Navigate the tab to a normal web page (http or https) with browser_navigate, then try again.',
  ETIMEOUT: 'Check the page with browser_snapshot, then try again.',
  ENAVIGATION: 'Check the URL, then try again.',
  EBADARGS: 'Check the arguments against the tool’s description, then try again.',
  EEVALUATE: 'Fix the function (it must be a JavaScript function expression), then try again.',
  EDEBUGGER: 'Try again; if it keeps failing, check that DevTools is not attached to the tab.',
  EUNSUPPORTED: 'Update the browser extension.',
  EWRONGINSTANCE: 'Reconnect the browser extension to this server.',
  EBADREPLY: 'Update the browser extension and try again.',
};

/** What to try when the older extension failed without a code: by command, as it has no better clue. */
const COMMAND_HINTS: Readonly<Record<string, string>> = {
  'snapshot.accessibility':
    'Make sure the tab shows a normal web page (not chrome:// or the Web Store), then try again.',
  'dom.click': 'Take a new browser_snapshot and use a ref from it.',
  'dom.hover': 'Take a new browser_snapshot and use a ref from it.',
  'dom.type': 'Take a new browser_snapshot and check that the ref is an editable field.',
  'dom.select': 'Take a new browser_snapshot and check the ref and the option values or labels.',
  browser_navigate: 'Check the URL and that the extension’s tab is open, then try again.',
};

const DEFAULT_HINT = 'Check the browser extension’s tab, then try again.';

/**
 * What to try after `code` from `command`: chosen by the code; by the command only for the codes
 * that carry no clue (`EFAILED`, `EEXTENSION`: the older extension).
 *
 * @example
 * ```ts source="./index.examples.ts#hintFor"
 * hintFor('ESTALEREF', 'dom.click'); // 'Take a new browser_snapshot and use a ref from it.'
 * ```
 */
export function hintFor(code: ErrorCode, command: string): string {
  return HINTS[code] ?? COMMAND_HINTS[command] ?? DEFAULT_HINT;
}
