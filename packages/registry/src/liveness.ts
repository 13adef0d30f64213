import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RegistryEntry } from './format.js';

/** Why an entry is no longer live, or `undefined` when it is. */
export type EvictionReason = 'process exited' | 'pid reused by another process' | 'heartbeat too old';

/**
 * Whether a process exists. EPERM means it exists but belongs to another user: alive.
 * (The original design took EPERM for death and evicted other users' live instances.)
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The start time of `pid` in clock ticks since boot (field 22 of `/proc/<pid>/stat`), or
 * `undefined` where /proc is not available. Together with the pid it names one process for
 * good: a reused pid has a later start time.
 */
export function processStartTime(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const value = Number(fields[19]);
  return Number.isFinite(value) ? value : undefined;
}

/** This process's own start time, read once: it never changes while we run. */
export const ownStartTime = processStartTime(process.pid);

/** This host's name, as stamped on entries. */
export const thisHost = hostname();

/**
 * Judges entries live or not, checking each distinct pid once per pass: a registry of 1,000
 * entries costs one `kill(pid, 0)` and one /proc read per process, not per entry.
 */
export class LivenessCheck {
  readonly #now: number;
  readonly #staleAfterMs: number;
  readonly #alive = new Map<number, boolean>();
  readonly #startTimes = new Map<number, number | undefined>();

  constructor(now: number, staleAfterMs: number) {
    this.#now = now;
    this.#staleAfterMs = staleAfterMs;
  }

  /** Why `entry` should be evicted, or `undefined` when it is live. */
  evictionReason(entry: RegistryEntry): EvictionReason | undefined {
    if (this.#now - entry.lastHeartbeat > this.#staleAfterMs) return 'heartbeat too old';
    // A pid on another host says nothing about this one; such entries live by heartbeat alone.
    if (entry.hostname !== undefined && entry.hostname !== thisHost) return undefined;
    if (!this.#isAlive(entry.pid)) return 'process exited';
    if (typeof entry.startTime === 'number') {
      const startTime = this.#startTime(entry.pid);
      if (startTime !== undefined && startTime !== entry.startTime) return 'pid reused by another process';
    }
    return undefined;
  }

  #isAlive(pid: number): boolean {
    let alive = this.#alive.get(pid);
    if (alive === undefined) {
      alive = isProcessAlive(pid);
      this.#alive.set(pid, alive);
    }
    return alive;
  }

  #startTime(pid: number): number | undefined {
    if (!this.#startTimes.has(pid)) this.#startTimes.set(pid, processStartTime(pid));
    return this.#startTimes.get(pid);
  }
}
