import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { parseProcStatLine } from './proc-stat.js';

/**
 * @internal What the platform says about a live process: its state letter (`Z` for a zombie, when
 * known) and its start time, a number that with the pid names one process for good. `null`: no such
 * process. `undefined`: this platform (or this machine's set-up) cannot tell.
 */
export interface ProcessStat {
  readonly state: string | undefined;
  readonly startTime: number;
}

/**
 * @internal Where start times come from here:
 * - `proc`: `/proc/<pid>/stat` field 22, clock ticks since boot (Linux, and anywhere /proc is mounted);
 * - `ps`: `ps -o stat=,lstart=`, seconds since the epoch (macOS and the BSDs, which have no /proc);
 * - `none`: nothing cheap (Windows, or Linux with /proc hidden): pid reuse is then detected by heartbeat
 *   or lock-file age only.
 *
 * Decided by whether `/proc/self/stat` exists, never by the platform's name alone, so a Linux with
 * /proc hidden takes the same path as a platform without it.
 */
export type StartTimeSource = 'proc' | 'ps' | 'none';

const PS_PLATFORMS = new Set<NodeJS.Platform>(['darwin', 'freebsd', 'openbsd', 'netbsd']);

/** @internal The source this process uses (see {@link StartTimeSource}). */
export const startTimeSource: StartTimeSource = existsSync('/proc/self/stat')
  ? 'proc'
  : PS_PLATFORMS.has(process.platform)
    ? 'ps'
    : 'none';

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

function readProcStat(pid: number): ProcessStat | null | undefined {
  let text: string;
  try {
    text = readStatText(pid);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT (or ESRCH, when it exited between open and read) means the process is gone, as /proc
    // exists here; anything else (EACCES) means we cannot tell.
    return code === 'ENOENT' || code === 'ESRCH' ? null : undefined;
  }
  return parseProcStatLine(text);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// `S    Mon Jan  6 10:11:12 2025`: BSD ps's state, then lstart in the C locale (`%a %b %e %T %Y`).
const PS_LINE =
  /^\s*(\S+)\s+[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})\s*$/;

/**
 * @internal Parses the output of `ps -o stat=,lstart= -p <pid>` (LC_ALL=C): the start time in seconds
 * since the epoch (lstart is local time, to the second), and the state's first letter. `null` for
 * empty output (no such process), `undefined` for anything else.
 */
export function parsePsLine(text: string): ProcessStat | null | undefined {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '');
  if (line === undefined) return null;
  const match = PS_LINE.exec(line);
  if (!match) return undefined;
  const [, state = '', month = '', day, hours, minutes, seconds, year] = match;
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex === -1) return undefined;
  const date = new Date(
    Number(year),
    monthIndex,
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
  const startTime = Math.floor(date.getTime() / 1000);
  if (!Number.isSafeInteger(startTime)) return undefined;
  return { state: state.slice(0, 1), startTime };
}

/**
 * @internal Runs `ps` once for `pid`. Costs a process spawn (a few ms), so callers ask only when a pid
 * is alive and a recorded start time must be checked. `command` is for tests (a recorded `ps`).
 */
export function readPsStat(pid: number, command = 'ps'): ProcessStat | null | undefined {
  let output: string;
  try {
    output = execFileSync(command, ['-o', 'stat=,lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    });
  } catch (error) {
    // BSD ps exits 1 with no output for a pid it does not find; no ps at all says nothing.
    const { status, stdout } = error as { status?: number | null; stdout?: string };
    if (status === 1 && (stdout ?? '').trim() === '') return null;
    return undefined;
  }
  return parsePsLine(output);
}

/** @internal The process `pid` as the platform describes it (see {@link StartTimeSource}). */
export function readProcessStat(pid: number): ProcessStat | null | undefined {
  if (startTimeSource === 'proc') return readProcStat(pid);
  if (startTimeSource === 'ps') return readPsStat(pid);
  return undefined;
}
