import type { ErrorCode } from '@ports/browser-protocol';

/**
 * Codes of the errors browser-mcp raises, so callers can branch without matching messages. An
 * error the extension answered keeps the extension's code ({@link ErrorCode} of
 * `@ports/browser-protocol`: `ESTALEREF`, `EDIALOGOPEN`…), rebuilt on this side of the wire.
 */
export type BrowserMcpErrorCode =
  /** A command-line option or environment variable has an invalid value. */
  | 'EUSAGE'
  /** No browser extension is connected to this server. */
  | 'ENOEXTENSION'
  /** The extension did not answer a command in time. */
  | 'ECOMMANDTIMEOUT'
  /** The extension connection closed before it answered a command. */
  | 'ECONNECTIONCLOSED'
  /** The bridge was closed while a command was waiting. */
  | 'EBRIDGECLOSED'
  /** The caller aborted the command. */
  | 'EABORTED'
  /** A file to upload is missing, unreadable or outside the `--upload-root` folders. */
  | 'EUPLOAD'
  /** The pairing secret file is unusable (a symlink, another user's, readable by others, corrupt). */
  | 'EPAIRINGFILE'
  /** The extension answered with an error, or a reply that says it failed: its code. */
  | ErrorCode;

/**
 * The one error class of browser-mcp: a `code` to branch on and a message that says what to do.
 *
 * @example
 * ```ts
 * try {
 *   await bridge.send('browser_navigate', { url });
 * } catch (error) {
 *   if (error instanceof BrowserMcpError && error.code === 'ENOEXTENSION') console.error(error.message);
 * }
 * ```
 */
export class BrowserMcpError extends Error {
  override readonly name: string = 'BrowserMcpError';
  readonly code: BrowserMcpErrorCode;

  constructor(code: BrowserMcpErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Thrown by option parsing; the CLI prints its message on one line and exits with code 2. */
export class UsageError extends BrowserMcpError {
  override readonly name: string = 'UsageError';

  constructor(message: string) {
    super('EUSAGE', message);
  }
}
