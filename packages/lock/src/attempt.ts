import { lstatSync } from 'node:fs';
import { type CreatedFile, createExclusive } from './create.js';
import { removeIfUnchanged } from './guard.js';
import type { ResolvedOptions } from './options.js';
import { WaitQueue } from './queue.js';
import { formatRecord, newToken, recordPid } from './record.js';
import { judge, readSnapshot, sameInstance } from './snapshot.js';

/** @internal A lock file we created, with the token written in it. */
export interface Acquired extends CreatedFile {
  readonly token: string;
}

/** A waiter behind a live queue head still tries when the head seems stuck (stopped, blocked). */
const HEAD_GRACE_MS = 30;
/** ...and still looks for a dead or expired holder now and then, in case the head does not. */
const INSPECT_EVERY_MS = 50;

/**
 * @internal One acquisition in progress: the protocol step shared by `acquire` and `acquireSync`,
 * so both follow exactly the same rules. Every step is a few non-blocking metadata syscalls on a
 * local file, done synchronously; only the waiting between steps differs.
 */
export class Attempt {
  readonly #path: string;
  readonly #options: ResolvedOptions;
  readonly #queue: WaitQueue;
  #absentSince: number | undefined;
  #lastInspect = 0;
  /** The pid named by the lock file at the last look, for error messages. */
  holderPid: number | undefined;

  constructor(path: string, options: ResolvedOptions) {
    this.#path = path;
    this.#options = options;
    this.#queue = new WaitQueue(path);
  }

  /** Tries once; the acquired file, or null to wait and try again. */
  step(): Acquired | null {
    const position = this.#queue.position();
    if (position === 'behind') {
      if (!this.#queue.joined) this.#queue.join();
      if (!this.#headSeemsStuck()) return null;
    }
    const acquired = this.#tryTake();
    if (acquired) this.#queue.leave();
    else this.#queue.join();
    return acquired;
  }

  /** Gives up any place in line. */
  close(): void {
    this.#queue.leave();
  }

  #headSeemsStuck(): boolean {
    const now = Date.now();
    const exists = lstatSync(this.#path, { throwIfNoEntry: false }) !== undefined;
    if (!exists) {
      this.#absentSince ??= now;
      return now - this.#absentSince > HEAD_GRACE_MS;
    }
    this.#absentSince = undefined;
    if (now - this.#lastInspect < INSPECT_EVERY_MS) return false;
    this.#lastInspect = now;
    const snapshot = readSnapshot(this.#path);
    return snapshot === null || judge(snapshot, this.#options.staleMs, now) !== false;
  }

  #tryTake(): Acquired | null {
    const { staleMs, onStaleLock } = this.#options;
    // A few rounds: the file may vanish between our create and our read, or we may just have broken it.
    for (let round = 0; round < 4; round++) {
      const token = newToken();
      const created = createExclusive(this.#path, formatRecord(token));
      if (created) return { ...created, token };
      const seen = readSnapshot(this.#path);
      if (seen === null) continue;
      this.holderPid = recordPid(seen.record);
      const reason = judge(seen, staleMs, Date.now());
      if (reason === false) return null;
      onStaleLock?.({ path: this.#path, holderPid: this.holderPid, reason });
      const outcome = removeIfUnchanged(
        this.#path,
        seen.identity,
        staleMs,
        (fresh) => fresh !== null && sameInstance(seen, fresh) && judge(fresh, staleMs, Date.now()) !== false,
      );
      if (outcome === 'busy') return null;
    }
    return null;
  }
}
