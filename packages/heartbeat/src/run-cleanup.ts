import { HeartbeatError } from './errors.js';
import { describeError, warn } from './warn.js';

/** Why the cleanups run: the signal received, the event loop running dry, the final `exit`, or a call to `shutdown()`. */
export type ShutdownReason = NodeJS.Signals | 'beforeExit' | 'exit' | 'manual';

/** A shutdown cleanup. Return a promise to make the shutdown wait for it (up to `timeoutMs`). */
export type Cleanup = (reason: ShutdownReason) => unknown;

/** @internal A validated registration. */
export interface Registration {
  readonly cleanup: Cleanup;
  readonly timeoutMs: number;
  readonly sync: boolean;
  readonly onError: ((error: unknown, reason: ShutdownReason) => void) | undefined;
}

function report(registration: Registration, error: unknown, reason: ShutdownReason): void {
  if (registration.onError) {
    try {
      registration.onError(error, reason);
      return;
    } catch (handlerError) {
      warn(`shutdown onError threw: ${describeError(handlerError)}`);
    }
  }
  warn(`shutdown cleanup failed on ${reason}: ${describeError(error)}`);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * @internal Runs one cleanup and resolves `true` if it timed out. Never rejects: a failing cleanup must
 * not stop the others or the exit. The timeout timer is deliberately not unref'd: during a shutdown it is
 * what guarantees the process waits for a slow cleanup, then moves on.
 */
export function runCleanup(registration: Registration, reason: ShutdownReason): Promise<boolean> {
  let result: unknown;
  try {
    result = registration.cleanup(reason);
  } catch (error) {
    report(registration, error, reason);
    return Promise.resolve(false);
  }
  if (!isThenable(result)) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      const message =
        `shutdown cleanup did not finish within ${registration.timeoutMs} ms on ${reason}; ` +
        'going on without it (raise timeoutMs if it needs longer)';
      report(registration, new HeartbeatError('ESHUTDOWNTIMEOUT', message), reason);
      resolve(true);
    }, registration.timeoutMs);
    Promise.resolve(result).then(
      () => {
        clearTimeout(timer);
        resolve(false);
      },
      (error: unknown) => {
        clearTimeout(timer);
        report(registration, error, reason);
        resolve(false);
      },
    );
  });
}
