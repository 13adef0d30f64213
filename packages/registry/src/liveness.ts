import { hostname } from 'node:os';
import { ownProcessStartTime, processGone } from '@ports/lock';
import type { RegistryEntry } from './format.js';

/** Why an entry is no longer live, or `undefined` when it is. */
export type EvictionReason = 'process exited' | 'pid reused by another process' | 'heartbeat too old';

/** This process's start time, read once: it never changes while we run (`undefined` without /proc). */
export const ownStartTime: number | undefined = ownProcessStartTime ?? undefined;

/** This host's name, as stamped on entries. */
export const thisHost = hostname();

/**
 * Judges entries live or not, checking each distinct process once per pass: a registry of 1,000
 * entries costs one `kill(pid, 0)` and at most one /proc read per process, not per entry. A process
 * counts as gone by the rule `@ports/lock` uses for dead holders: no such pid, a zombie, or a pid
 * that now names a process started at another time.
 */
export class LivenessCheck {
  readonly #now: number;
  readonly #staleAfterMs: number;
  readonly #verdicts = new Map<string, EvictionReason | undefined>();

  constructor(now: number, staleAfterMs: number) {
    this.#now = now;
    this.#staleAfterMs = staleAfterMs;
  }

  /** Why `entry` should be evicted, or `undefined` when it is live. */
  evictionReason(entry: RegistryEntry): EvictionReason | undefined {
    if (this.#now - entry.lastHeartbeat > this.#staleAfterMs) return 'heartbeat too old';
    // A pid on another host says nothing about this one; such entries live by heartbeat alone.
    if (entry.hostname !== undefined && entry.hostname !== thisHost) return undefined;
    const startTime = typeof entry.startTime === 'number' ? entry.startTime : null;
    const key = `${entry.pid}:${startTime}`;
    if (this.#verdicts.has(key)) return this.#verdicts.get(key);
    const gone = processGone(entry.pid, startTime);
    const reason: EvictionReason | undefined =
      gone === 'exited'
        ? 'process exited'
        : gone === 'pid-reused'
          ? 'pid reused by another process'
          : undefined;
    this.#verdicts.set(key, reason);
    return reason;
  }
}
