import { setTimeout as sleep } from 'node:timers/promises';
import { instanceMembers, isRunning, processTable } from './proc.js';
import type { RecordedProcess } from './state.js';

/** Default of `cmgr stop --timeout`. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** How often to look whether the instance is gone: the kernel gives no event for another process's exit. */
const POLL_MS = 50;
/** How long to wait for the kernel to remove the processes after SIGKILL. */
const AFTER_KILL_MS = 5_000;

/** What {@link stopProcess} did. */
export type StopOutcome = 'not-running' | 'terminated' | 'killed';

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Every process found to be the instance's during one stop, by pid and start time. Once a parent exits
 * (bwrap before what runs inside it, or any parent of a child in a session of its own) its children are
 * no longer reachable from the group, yet they are still the instance's and must be waited for.
 */
type Seen = Map<number, string>;

/** The instance's live processes, each with whether it is in the recorded group (`cmgr start`'s own). */
async function members(recorded: RecordedProcess, seen: Seen): Promise<Map<number, boolean>> {
  const table = await processTable();
  const own = instanceMembers(recorded, table);
  for (const s of table) {
    if (own.has(s.pid)) seen.set(s.pid, s.startTime);
    else if (s.state !== 'Z' && seen.get(s.pid) === s.startTime) own.add(s.pid);
  }
  return new Map(table.filter((s) => own.has(s.pid)).map((s) => [s.pid, s.pgrp === recorded.pid]));
}

async function waitForExit(recorded: RecordedProcess, seen: Seen, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await members(recorded, seen)).size === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/**
 * Stops what an instance runs: SIGTERM, then SIGKILL after `timeoutMs`. Signals nothing unless
 * {@link isRunning} finds the recorded process, or what it left in its group, still there: a pid may
 * have been reused. The group id is the leader's pid (it was started detached), and the kernel never
 * hands out a pid that is still in use as a group id, so the group and its descendants
 * ({@link instanceMembers}) are only what the instance started.
 *
 * In a sandbox the recorded group is the keeper shell and bwrap, started with `--die-with-parent`: they
 * are spared the SIGTERM, since their death would SIGKILL everything inside before the app could shut
 * down. The processes inside (a session of their own) get it, and bwrap exits once they are gone.
 * SIGKILL to the group then ends the whole sandbox at once.
 */
export async function stopProcess(
  recorded: RecordedProcess | undefined,
  timeoutMs: number,
): Promise<StopOutcome> {
  if (!recorded || !(await isRunning(recorded))) return 'not-running';
  const pgid = recorded.pid;
  const sandboxed = recorded.sandbox === 'bwrap';
  const seen: Seen = new Map();
  for (const [pid, inGroup] of await members(recorded, seen))
    if (!(sandboxed && inGroup)) signal(pid, 'SIGTERM');
  if (!sandboxed) signal(-pgid, 'SIGTERM');
  if (await waitForExit(recorded, seen, timeoutMs)) return 'terminated';
  signal(-pgid, 'SIGKILL');
  for (const pid of (await members(recorded, seen)).keys()) signal(pid, 'SIGKILL');
  await waitForExit(recorded, seen, AFTER_KILL_MS);
  return 'killed';
}
