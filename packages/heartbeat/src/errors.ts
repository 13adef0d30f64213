/** The codes a {@link HeartbeatError} can carry. */
export type HeartbeatErrorCode =
  /** An option of `startHeartbeat` or `onShutdown` has a bad value. */
  | 'EINVALIDOPTION'
  /** A shutdown cleanup did not settle within its `timeoutMs`; the process went on without it. */
  | 'ESHUTDOWNTIMEOUT';

/** The one error class of `@ports/heartbeat`; `code` says what went wrong. */
export class HeartbeatError extends Error {
  override readonly name = 'HeartbeatError';
  readonly code: HeartbeatErrorCode;

  constructor(code: HeartbeatErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
