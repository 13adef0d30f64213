import { readdir, readFile } from 'node:fs/promises';
import { parseProcStatLine } from '@ports/lock';
import type { RecordedProcess } from './state.js';

/** The fields of /proc/<pid>/stat cmgr needs. */
export interface ProcStat {
  readonly pid: number;
  /** R, S, D, Z, T… A zombie (Z) has exited; it only waits to be reaped. */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  /** Clock ticks after boot, as a string: it identifies the process together with the pid. */
  readonly startTime: string;
}

/**
 * Parses /proc/<pid>/stat with `@ports/lock`'s parser (the one in the repository), as cmgr records it:
 * with the pid, and the start time as a string.
 */
export function parseProcStat(pid: number, text: string): ProcStat | undefined {
  const stat = parseProcStatLine(text);
  if (stat === undefined) return undefined;
  return { pid, state: stat.state, ppid: stat.ppid, pgrp: stat.pgrp, startTime: String(stat.startTime) };
}

/** Reads /proc/<pid>/stat; `undefined` when there is no such process. */
export async function procStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(pid, await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Whether anything the recorded launch started still runs: the recorded process itself (same pid, same
 * start time, not a zombie), or, once it has exited, processes left in its group (the group id is its pid:
 * it was started detached). A pid that now names another process means the group is gone too: the
 * kernel never hands out a pid still in use as a group id.
 */
export async function isRunning(recorded: RecordedProcess | undefined): Promise<boolean> {
  if (!recorded || !(recorded.pid > 1)) return false;
  const stat = await procStat(recorded.pid);
  if (stat !== undefined && stat.startTime !== recorded.startTime) return false;
  if (stat !== undefined && stat.state !== 'Z') return true;
  return groupAlive(recorded.pid);
}

/**
 * Whether a live process is left in group `pgid`. `kill(-pgid, 0)` answers "none at all" in one
 * syscall; only when some member exists is /proc scanned, since that member may be a zombie.
 */
export async function groupAlive(pgid: number): Promise<boolean> {
  // kill(-0) and kill(-1) mean "our own group" and "everyone": never a group cmgr started.
  if (!(pgid > 1)) return false;
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  return (await groupMembers(pgid)).length > 0;
}

/** Every process in /proc, as one snapshot. */
export async function processTable(): Promise<ProcStat[]> {
  const entries = await readdir('/proc');
  const stats = await Promise.all(
    entries.filter((entry) => /^\d+$/.test(entry)).map((entry) => procStat(Number(entry))),
  );
  return stats.filter((s): s is ProcStat => s !== undefined);
}

/** Live (non-zombie) processes whose process group is `pgrp`. */
export async function groupMembers(pgrp: number): Promise<number[]> {
  return (await processTable()).filter((s) => s.pgrp === pgrp && s.state !== 'Z').map((s) => s.pid);
}

/**
 * The live processes of an instance in one /proc snapshot: the recorded process (same start time), the
 * members of its group, and every descendant of those. Descendants matter in a sandbox: bwrap's
 * `--new-session` puts everything inside in a session and group of its own, whose processes the host
 * sees under their host pids, all below the recorded bwrap (orphans inside are re-parented to the
 * sandbox's own init, which stays below it). Outside a sandbox they catch a child that called setsid
 * while its parent still runs.
 */
export function instanceMembers(
  recorded: RecordedProcess | undefined,
  table: readonly ProcStat[],
): Set<number> {
  const members = new Set<number>();
  if (!recorded || !(recorded.pid > 1)) return members;
  // The pid names another process now: the group of that pid is not ours either (see isRunning).
  if (table.some((s) => s.pid === recorded.pid && s.startTime !== recorded.startTime)) return members;
  const children = new Map<number, ProcStat[]>();
  for (const entry of table) {
    const list = children.get(entry.ppid);
    if (list) list.push(entry);
    else children.set(entry.ppid, [entry]);
  }
  const queue = table.filter(
    (s) => s.pgrp === recorded.pid || (s.pid === recorded.pid && s.startTime === recorded.startTime),
  );
  while (queue.length > 0) {
    const entry = queue.pop()!;
    if (members.has(entry.pid)) continue;
    if (entry.state !== 'Z') members.add(entry.pid);
    queue.push(...(children.get(entry.pid) ?? []));
  }
  return members;
}
