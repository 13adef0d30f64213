import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { hostname } from 'node:os';

/** @internal What `/proc/<pid>/stat` says about a process, or `undefined` where there is no /proc. */
interface ProcStat {
  readonly state: string;
  readonly startTime: number;
}

/** Reused for every /proc read: a stat line is a few hundred bytes (the command name is at most 64). */
const statBuffer = Buffer.alloc(4096);

/**
 * `/proc/<pid>/stat` as text in three syscalls (open, one read, close). `readFileSync` would add an
 * fstat and a second read (proc files report size 0) and allocate: this runs for every registry entry
 * and lock holder judged, inside critical sections.
 */
function readStatText(pid: number): string {
  const fd = openSync(`/proc/${pid}/stat`, 'r');
  try {
    const length = readSync(fd, statBuffer, 0, statBuffer.length, 0);
    // Never seen in practice; read it the slow, complete way rather than judge a cut line.
    if (length === statBuffer.length) return readFileSync(`/proc/${pid}/stat`, 'latin1');
    return statBuffer.toString('latin1', 0, length);
  } finally {
    closeSync(fd);
  }
}

function readProcStat(pid: number): ProcStat | null | undefined {
  let text: string;
  try {
    text = readStatText(pid);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT (or ESRCH, when it exited between open and read) on a system with /proc means the
    // process is gone; anything else means we cannot tell.
    return (code === 'ENOENT' || code === 'ESRCH') && hasProc ? null : undefined;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = Number(fields[19]);
  if (state === undefined || !Number.isSafeInteger(startTime)) return undefined;
  return { state, startTime };
}

const hasProc = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** @internal This host's name, recorded in lock files so pids are only trusted on the same host. */
export const hostName: string = hostname();

/** @internal The start time of `pid` in clock ticks since boot (`/proc/<pid>/stat` field 22), or null. */
export function processStartTime(pid: number): number | null {
  return readProcStat(pid)?.startTime ?? null;
}

/** @internal This process's start time (see {@link processStartTime}). */
export const ownStartTime: number | null = processStartTime(process.pid);

/**
 * @internal Whether `pid` names a running process. EPERM means it exists but belongs to someone
 * else: alive. A zombie has exited and can no longer touch any file: dead.
 */
export function isAlive(pid: number): boolean {
  return holderGone(pid, null) === false;
}

/** @internal Whether `pid` exists (EPERM: it does, as another user's), without the /proc read. */
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
  const stat = readProcStat(pid);
  // Another user's live process has no /proc entry we can see where /proc is mounted with hidepid:
  // it counts as running while its pid exists (unless it exited just now; its start time cannot be read).
  if (stat === null && otherUsers) return pidExists(pid) ? false : 'dead-holder';
  if (stat === null || stat?.state === 'Z' || stat?.state === 'X') return 'dead-holder';
  if (stat === undefined || startTime === null) return false;
  return stat.startTime !== startTime ? 'pid-reused' : false;
}
