import { hostname } from 'node:os';
import { ownProcessStartTime, processExists as pidExists, processGone } from '@ports/lock';
import type { RegistryEntry } from './format.js';

/** Why an entry is no longer live, or `undefined` when it is. */
export type EvictionReason = 'process exited' | 'pid reused by another process' | 'heartbeat too old';

/** This process's start time, read once: it never changes while we run (`undefined` where the platform gives none). */
export const ownStartTime: number | undefined = ownProcessStartTime ?? undefined;

/** This host's name, as stamped on entries. */
export const thisHost = hostname();

/**
 * How long a full check that found a process alive (pid present, same start time, not a zombie) is
 * trusted, as long as `kill(pid, 0)` still finds the pid. Within it a check costs one syscall instead
 * of four; the 8 entries of 8 busy processes otherwise cost ~30 syscalls of every allocation's critical
 * section. What it can delay, by at most this long, is noticing a process that died but is not reaped
 * yet (a zombie) or whose pid was reused: the entry then counts as live a moment longer, which only
 * means its port is not handed out yet. A process that is gone and reaped is noticed at once.
 */
const CONFIRMED_ALIVE_MS = 100;
/** `pid:startTime` → when a full check last found that process alive. Process-wide: registries share it. */
const confirmedAlive = new Map<string, number>();

/** Forgets confirmations too old to use, so the map stays as small as the set of live processes. */
function pruneConfirmations(now: number): void {
  for (const [key, at] of confirmedAlive) if (now - at >= CONFIRMED_ALIVE_MS) confirmedAlive.delete(key);
}

/**
 * Judges entries live or not, checking each distinct process once per pass: a registry of 1,000
 * entries costs one `kill(pid, 0)` and at most one start-time read (/proc, or `ps` on macOS) per process, not per entry. A process
 * counts as gone by the rule `@ports/lock` uses for dead holders: no such pid, a zombie, or a pid
 * that now names a process started at another time. This process's own entries need no check, and
 * a process found alive in the last 100 ms costs only the `kill(pid, 0)`.
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
    if (entry.pid === process.pid && (startTime === null || startTime === ownStartTime)) return undefined;
    const key = `${entry.pid}:${startTime}`;
    if (this.#verdicts.has(key)) return this.#verdicts.get(key);
    const reason = this.#judge(entry.pid, startTime, key);
    this.#verdicts.set(key, reason);
    return reason;
  }

  #judge(pid: number, startTime: number | null, key: string): EvictionReason | undefined {
    const confirmed = confirmedAlive.get(key);
    if (confirmed !== undefined && Date.now() - confirmed < CONFIRMED_ALIVE_MS) {
      if (pidExists(pid)) return undefined;
      confirmedAlive.delete(key);
      return 'process exited';
    }
    const gone = processGone(pid, startTime);
    if (gone === false) {
      const now = Date.now();
      if (confirmedAlive.size >= 1_000) pruneConfirmations(now);
      confirmedAlive.set(key, now);
      return undefined;
    }
    confirmedAlive.delete(key);
    return gone === 'exited' ? 'process exited' : 'pid reused by another process';
  }
}
