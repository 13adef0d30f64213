import { LockError } from './errors.js';

/** What {@link AcquireOptions.onStaleLock} is told about a lock about to be broken. */
export interface StaleLockInfo {
  /** The lock file. */
  readonly path: string;
  /** The pid recorded by the previous holder, when the file named one. */
  readonly holderPid: number | undefined;
  /** Why it is stale: the holder is gone, its pid now belongs to another process, or the file aged out. */
  readonly reason: 'dead-holder' | 'pid-reused' | 'expired';
}

/** Options of {@link acquire}, {@link acquireSync} and {@link withLock}. */
export interface AcquireOptions {
  /**
   * A lock whose file was not refreshed for this long is considered abandoned and may be taken
   * (default 5000). A holder refreshes it every `refreshMs`, so only a stalled or crashed holder ages out.
   */
  readonly staleMs?: number;
  /** Give up with `ELOCKTIMEOUT` after waiting this long (default 10 000; `Infinity` waits forever; 0 tries once). */
  readonly timeoutMs?: number;
  /** How often a holder refreshes its lock file's mtime (default `staleMs / 3`; must be below `staleMs`). */
  readonly refreshMs?: number;
  /** Stop waiting when aborted: rejects with `ELOCKABORTED` whose `cause` is `signal.reason`. Async only. */
  readonly signal?: AbortSignal;
  /** Called once, from a timer, when the holder finds its lock was taken from it. */
  readonly onCompromised?: (error: Error) => void;
  /**
   * Diagnostic hook: called synchronously after a lock is judged stale and before it is removed.
   * Useful for logging; the tests use it to hold many waiters at that exact point and force the race.
   */
  readonly onStaleLock?: (info: StaleLockInfo) => void;
  /**
   * Bounded bypass (default 5): on release, a process that re-acquires the same lock in the same
   * event-loop turn may take it back ahead of the head waiter if the head has waited less than this
   * many ms (at most twice in a row). Saves cross-process hand-overs for back-to-back critical
   * sections; 0 means strict first-come, first-served. Longer critical sections gain from a larger
   * bound (the registry uses 20).
   */
  readonly bypassMs?: number;
}

/** @internal Options after defaults and validation. */
export interface ResolvedOptions {
  readonly staleMs: number;
  readonly timeoutMs: number;
  readonly refreshMs: number;
  readonly signal: AbortSignal | undefined;
  readonly onCompromised: ((error: Error) => void) | undefined;
  readonly onStaleLock: ((info: StaleLockInfo) => void) | undefined;
  readonly bypassMs: number;
}

/** The defaults, in one place. */
export const DEFAULTS = { staleMs: 5000, timeoutMs: 10_000, bypassMs: 5 } as const;

/** The longest delay a Node timer keeps: longer ones fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function invalid(name: string, value: unknown, expected: string): LockError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new LockError('EINVALIDOPTION', `option ${name} must be ${expected}, got ${shown}`);
}

function positiveNumber(name: string, value: unknown, fallback: number, allowInfinity = false): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    value > 0 &&
    (allowInfinity || Number.isFinite(value));
  if (!ok)
    throw invalid(name, value, allowInfinity ? 'a positive number or Infinity' : 'a positive finite number');
  return value;
}

function optionalFunction<T>(name: string, value: unknown): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalid(name, value, 'a function');
  return value as T | undefined;
}

/** @internal Validates every option once; the error names the option and its bad value. */
export function resolveOptions(path: unknown, options: AcquireOptions | undefined): ResolvedOptions {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    throw invalid('path', path, 'a non-empty file path');
  }
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw invalid('options', options, 'an object');
  }
  const given = options ?? {};
  const staleMs = positiveNumber('staleMs', given.staleMs, DEFAULTS.staleMs);
  // The refresh runs on a timer below staleMs: at least 1 ms, and at most what a Node timer keeps.
  if (staleMs < 2 || staleMs > MAX_TIMER_MS) {
    throw invalid('staleMs', staleMs, `from 2 to ${MAX_TIMER_MS} ms`);
  }
  const timeoutMs =
    given.timeoutMs === 0 ? 0 : positiveNumber('timeoutMs', given.timeoutMs, DEFAULTS.timeoutMs, true);
  const refreshMs = positiveNumber('refreshMs', given.refreshMs, Math.max(1, Math.floor(staleMs / 3)));
  if (refreshMs >= staleMs) throw invalid('refreshMs', refreshMs, `below staleMs (${staleMs})`);
  const signal = given.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw invalid('signal', signal, 'an AbortSignal');
  const bypassMs = given.bypassMs === undefined ? DEFAULTS.bypassMs : given.bypassMs;
  if (typeof bypassMs !== 'number' || !Number.isFinite(bypassMs) || bypassMs < 0 || bypassMs > staleMs) {
    throw invalid('bypassMs', bypassMs, `a number of ms from 0 to staleMs (${staleMs})`);
  }
  return {
    bypassMs,
    staleMs,
    timeoutMs,
    refreshMs,
    signal,
    onCompromised: optionalFunction('onCompromised', given.onCompromised),
    onStaleLock: optionalFunction('onStaleLock', given.onStaleLock),
  };
}
