/**
 * Every code a {@link LockError} can carry.
 *
 * - `ELOCKTIMEOUT`: the lock stayed held by someone else for the whole `timeoutMs`.
 * - `ELOCKABORTED`: the caller's `signal` aborted the wait; `cause` is `signal.reason`.
 * - `ELOCKCOMPROMISED`: the lock file at the path is no longer ours (another process judged it stale
 *   and took it, or it was removed or replaced); the critical section may have overlapped another.
 * - `ENOTHELD`: the handle was already released.
 * - `ELOCKDIR`: the lock file cannot be created where asked (directory missing, not a directory,
 *   not writable); `cause` is the system error.
 * - `EINVALIDOPTION`: an option has a bad value; the message names the option and the value.
 */
export type LockErrorCode =
  | 'ELOCKTIMEOUT'
  | 'ELOCKABORTED'
  | 'ELOCKCOMPROMISED'
  | 'ENOTHELD'
  | 'ELOCKDIR'
  | 'EINVALIDOPTION';

/** Extra facts attached to a {@link LockError}. */
export interface LockErrorDetails {
  /** The lock file the error is about. */
  readonly path?: string;
  /** The pid recorded by the process holding the lock, when known. */
  readonly holderPid?: number;
  /** The underlying error or abort reason. */
  readonly cause?: unknown;
}

/**
 * The one error class of `@ports/lock`. Switch on `code`, never on the message.
 *
 * @example
 * ```ts source="./index.examples.ts#LockError"
 * try {
 *   await withLock(path, work, { timeoutMs: 2000 });
 * } catch (error) {
 *   if (error instanceof LockError && error.code === 'ELOCKTIMEOUT')
 *     console.error(`busy (pid ${error.holderPid})`);
 *   else throw error;
 * }
 * ```
 */
export class LockError extends Error {
  override readonly name = 'LockError';
  /** What went wrong, as a stable string. */
  readonly code: LockErrorCode;
  /** The lock file the error is about, when there is one. */
  readonly path: string | undefined;
  /** The pid recorded in the lock file by its holder, when known. */
  readonly holderPid: number | undefined;

  constructor(code: LockErrorCode, message: string, details: LockErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.path = details.path;
    this.holderPid = details.holderPid;
  }
}

/** @internal Text naming the holder for messages: ` (held by pid 123)` or nothing. */
export function describeHolder(holderPid: number | undefined): string {
  return holderPid === undefined ? ' (holder unknown)' : ` (held by pid ${holderPid})`;
}
