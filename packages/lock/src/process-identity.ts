import { holderGone, ownStartTime, pidExists, processStartTime as readStartTime } from './process-info.js';
import { type StartTimeSource, startTimeSource } from './start-time.js';

/** Why a recorded process no longer counts: it exited, or its pid now names another process. */
export type ProcessGoneReason = 'exited' | 'pid-reused';

/**
 * Whether the process recorded as `pid` (started at `startTime`, in clock ticks since boot as
 * {@link processStartTime} reads it) has certainly ended on this host. The rule the lock uses to
 * take over from a dead holder at once, offered to code that records processes the same way.
 *
 * - `'exited'`: no such pid, or it is a zombie (it has exited and can no longer hold anything).
 * - `'pid-reused'`: the pid is alive but started at another time, so it is another process.
 * - `false`: it may still run. A pid of another user (EPERM) counts as running; where no start time
 *   can be read (Windows, Linux with /proc hidden), or without a recorded one, a live pid is taken at
 *   its word: pid reuse is then caught only by the age of what the process keeps fresh.
 *
 * Liveness is `kill(pid, 0)` everywhere. On macOS and the BSDs the start time comes from one
 * `ps -o stat=,lstart=` run, made only when the pid is alive and `startTime` is given (and then reused
 * for a second); see {@link processStartTimeSource}.
 *
 * @example
 * ```ts source="./index.examples.ts#processGone"
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
 * The start time of `pid`, or `null` where the platform cannot tell or there is no such process: clock
 * ticks since boot (field 22 of `/proc/<pid>/stat`) where /proc exists, seconds since the epoch (`ps
 * -o lstart=`) on macOS and the BSDs, `null` on Windows and on Linux with /proc hidden. With the pid it
 * names one process for good: a reused pid has a later start time. Compare values only on one host.
 */
export function processStartTime(pid: number): number | null {
  return pid === process.pid ? ownStartTime : readStartTime(pid);
}

/** This process's start time (see {@link processStartTime}), read once at load; `null` where none can be read. */
export const ownProcessStartTime: number | null = ownStartTime;

/**
 * Whether `pid` exists, by `kill(pid, 0)` alone (EPERM: it does, as another user's). One syscall: no
 * zombie or reuse check, for callers that have confirmed the full {@link processGone} a moment ago.
 */
export function processExists(pid: number): boolean {
  return pidExists(pid);
}

/** Where start times come from on this machine: `'proc'`, `'ps'` (macOS, BSDs) or `'none'` (see {@link processGone}). */
export type ProcessStartTimeSource = StartTimeSource;

/**
 * Where {@link processStartTime} reads start times here, decided once at load by whether
 * `/proc/self/stat` exists (not by the platform's name): `'proc'`, `'ps'`, or `'none'`.
 */
export const processStartTimeSource: ProcessStartTimeSource = startTimeSource;
