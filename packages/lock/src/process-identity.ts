import { holderGone, ownStartTime, processStartTime as readStartTime } from './process-info.js';

/** Why a recorded process no longer counts: it exited, or its pid now names another process. */
export type ProcessGoneReason = 'exited' | 'pid-reused';

/**
 * Whether the process recorded as `pid` (started at `startTime`, in clock ticks since boot as
 * {@link processStartTime} reads it) has certainly ended on this host. The rule the lock uses to
 * take over from a dead holder at once, offered to code that records processes the same way.
 *
 * - `'exited'`: no such pid, or it is a zombie (it has exited and can no longer hold anything).
 * - `'pid-reused'`: the pid is alive but started at another time, so it is another process.
 * - `false`: it may still run. A pid of another user (EPERM) counts as running; without /proc, or
 *   without a recorded start time, a live pid is taken at its word.
 *
 * @example
 * ```ts
 * const entry = { pid: 4242, startTime: 123456 };
 * if (processGone(entry.pid, entry.startTime)) forget(entry);
 * ```
 */
export function processGone(pid: number, startTime: number | null = null): ProcessGoneReason | false {
  const verdict = holderGone(pid, startTime);
  if (verdict === 'dead-holder') return 'exited';
  return verdict;
}

/**
 * The start time of `pid` in clock ticks since boot (field 22 of `/proc/<pid>/stat`), or `null`
 * where there is no /proc or no such process. With the pid it names one process for good: a reused
 * pid has a later start time.
 */
export function processStartTime(pid: number): number | null {
  return pid === process.pid ? ownStartTime : readStartTime(pid);
}

/** This process's start time (see {@link processStartTime}), read once at load; `null` without /proc. */
export const ownProcessStartTime: number | null = ownStartTime;
