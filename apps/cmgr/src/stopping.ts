import { setTimeout as sleep } from 'node:timers/promises';
import { groupAlive, isRunning } from './proc.js';
import type { RecordedProcess } from './state.js';

/** Default of `cmgr stop --timeout`. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** How often to look whether the group is gone: the kernel gives no event for another process's exit. */
const POLL_MS = 50;
/** How long to wait for the kernel to remove a group after SIGKILL. */
const AFTER_KILL_MS = 5_000;

/** What {@link stopProcess} did. */
export type StopOutcome = 'not-running' | 'terminated' | 'killed';

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await groupAlive(pgid))) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/**
 * Stops the process group cmgr started: SIGTERM, then SIGKILL after `timeoutMs`. Signals nothing unless
 * {@link isRunning} finds the recorded process, or what it left in its group, still there: a pid may
 * have been reused.
 * The group id is the leader's pid (it was started detached), and the kernel never hands out a pid that
 * is still in use as a group id, so signalling the group reaches only what the instance started.
 */
export async function stopProcess(
  recorded: RecordedProcess | undefined,
  timeoutMs: number,
): Promise<StopOutcome> {
  if (!recorded || !(await isRunning(recorded))) return 'not-running';
  const pgid = recorded.pid;
  signalGroup(pgid, 'SIGTERM');
  if (await waitForGroupExit(pgid, timeoutMs)) return 'terminated';
  signalGroup(pgid, 'SIGKILL');
  await waitForGroupExit(pgid, AFTER_KILL_MS);
  return 'killed';
}
