import { hostname } from 'node:os';
import { type ProcessStat, readProcessStat, startTimeSource } from './start-time.js';

/** @internal This host's name, recorded in lock files so pids are only trusted on the same host. */
export const hostName: string = hostname();

/**
 * How long a start time read through `ps` is reused for the same pid. A spawn costs milliseconds, and a
 * waiter looks at a live holder every 50 ms; a pid reused within this long is noticed this much later.
 */
const PS_CACHE_MS = 1000;
const psCache = new Map<number, { readonly stat: ProcessStat | null | undefined; readonly at: number }>();

/** The platform's view of `pid` (see `start-time.ts`), with `ps` answers reused for a moment. */
function statOf(pid: number): ProcessStat | null | undefined {
  if (startTimeSource !== 'ps') return readProcessStat(pid);
  const now = Date.now();
  const cached = psCache.get(pid);
  if (cached && now - cached.at < PS_CACHE_MS) return cached.stat;
  const stat = readProcessStat(pid);
  if (psCache.size >= 256) psCache.clear();
  psCache.set(pid, { stat, at: now });
  return stat;
}

/**
 * @internal The start time of `pid`, or null: clock ticks since boot from `/proc/<pid>/stat` field 22
 * on Linux, seconds since the epoch from `ps` on macOS and the BSDs, null on Windows or without /proc.
 */
export function processStartTime(pid: number): number | null {
  return statOf(pid)?.startTime ?? null;
}

/** @internal This process's start time (see {@link processStartTime}), read once at load. */
export const ownStartTime: number | null = processStartTime(process.pid);

/**
 * @internal Whether `pid` names a running process. EPERM means it exists but belongs to someone
 * else: alive. A zombie (where the platform tells) has exited and can no longer touch any file: dead.
 */
export function isAlive(pid: number): boolean {
  return holderGone(pid, null) === false;
}

/** @internal Whether `pid` exists (EPERM: it does, as another user's): `kill(pid, 0)`, nothing more. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * @internal Whether the process that recorded (`pid`, `startTime`) is certainly gone: its pid is
 * free, or it now belongs to a process started at another time (the pid was reused).
 *
 * `kill(pid, 0)` decides liveness everywhere. The start time is read only where it can be cheaply:
 * always from /proc (which also tells a zombie), from `ps` only when the pid is alive and a recorded
 * start time must be checked, and not at all where neither exists (a live pid is then taken at its word).
 */
export function holderGone(pid: number, startTime: number | null): 'dead-holder' | 'pid-reused' | false {
  let otherUsers = false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ESRCH') return 'dead-holder';
    otherUsers = code === 'EPERM';
  }
  if (startTimeSource === 'none') return false;
  if (startTimeSource === 'ps' && startTime === null) return false;
  const stat = statOf(pid);
  // Another user's live process has no /proc entry we can see where /proc is mounted with hidepid:
  // it counts as running while its pid exists (unless it exited just now; its start time cannot be read).
  if (stat === null && otherUsers) return pidExists(pid) ? false : 'dead-holder';
  if (stat === null || stat?.state === 'Z' || stat?.state === 'X') return 'dead-holder';
  if (stat === undefined || startTime === null) return false;
  return stat.startTime !== startTime ? 'pid-reused' : false;
}
