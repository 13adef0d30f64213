import { futimesSync, lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeHolder, LockError } from './errors.js';
import { removeIfUnchanged } from './guard.js';
import { handOff } from './handoff.js';
import type { HolderFile } from './holder.js';
import type { ResolvedOptions } from './options.js';
import { recordPid } from './record.js';
import { readSnapshot } from './snapshot.js';
import { sleepSync } from './wake.js';

/** Lock paths this process holds right now, with how many handles (a lost one and its successor may overlap). */
const heldHere = new Map<string, number>();

/**
 * Whether this process holds the lock at `path` through a handle it has not released (and not lost).
 * A synchronous acquire of such a lock could only wait for itself: {@link acquireSync} refuses it at
 * once, and code on an exit path can check first.
 *
 * @example
 * ```ts source="./index.examples.ts#heldByThisProcess"
 * process.on('exit', () => {
 *   if (heldByThisProcess(lockPath)) return; // the async work holding it cannot finish now anyway
 *   using lock = acquireSync(lockPath, { timeoutMs: 2000 });
 *   writeFinalState();
 * });
 * ```
 */
export function heldByThisProcess(path: string): boolean {
  return (heldHere.get(resolve(path)) ?? 0) > 0;
}

/**
 * The shared core of {@link Lock} and {@link SyncLock}: the lock file (a hard link of our open
 * holder file), its refresh timer and the ownership checks. The holder file is open and never
 * shared with another handle while we hold the lock, so "the inode at the path is our inode" is an
 * exact ownership test.
 */
abstract class HeldLock {
  /** The lock file's path. */
  readonly path: string;
  readonly #file: HolderFile;
  readonly #options: ResolvedOptions;
  readonly #timer: NodeJS.Timeout;
  #lastRefresh = Date.now();
  #released = false;
  #lost: LockError | undefined;
  #counted = true;

  /** @internal Use {@link acquire} or {@link acquireSync}. */
  constructor(path: string, file: HolderFile, options: ResolvedOptions) {
    this.path = path;
    this.#file = file;
    this.#options = options;
    this.#timer = setInterval(() => this.#refresh(), options.refreshMs);
    this.#timer.unref();
    heldHere.set(path, (heldHere.get(path) ?? 0) + 1);
  }

  /** No longer held here: released or lost. */
  #uncount(): void {
    if (!this.#counted) return;
    this.#counted = false;
    const count = (heldHere.get(this.path) ?? 1) - 1;
    if (count > 0) heldHere.set(this.path, count);
    else heldHere.delete(this.path);
  }

  /** @internal Whether a release may put off waking the next waiter to the end of the turn (see `handOff`). */
  protected get defersWake(): boolean {
    return false;
  }

  /** Whether the lock is still ours, as far as a cheap check on the file can tell. */
  get held(): boolean {
    return !this.#released && this.#stillOurs();
  }

  /**
   * Throws unless the lock is still held: `ELOCKCOMPROMISED` when the file at the path is no longer
   * ours (another process judged it stale and took it), `ENOTHELD` after release. Call it right
   * before writing what the lock protects. It costs one `lstat`.
   */
  assertHeld(): void {
    if (this.#released) {
      throw new LockError('ENOTHELD', `lock ${this.path} was already released; acquire it again`, {
        path: this.path,
      });
    }
    if (this.#lost) throw this.#lost;
    // A busy event loop may have starved the timer: refresh now rather than look abandoned.
    if (Date.now() - this.#lastRefresh >= this.#options.refreshMs) this.#touch();
    if (!this.#stillOurs()) throw this.#markLost();
  }

  /** Whether the lock was lost while held (another process took it, or its file was replaced). */
  get compromised(): boolean {
    return this.#lost !== undefined;
  }

  /**
   * @internal The synchronous release both handles share. Removes the lock file only if it is still
   * ours; returns the `ELOCKCOMPROMISED` error, without throwing, when it was not.
   */
  protected releaseNow(): { readonly removed: boolean; readonly lost: LockError | undefined } {
    if (this.#released) return { removed: false, lost: this.#lost };
    this.#released = true;
    this.#uncount();
    clearInterval(this.#timer);
    if (!this.#lost) {
      try {
        this.#removeOurFile();
      } catch (error) {
        this.#file.discard();
        if (error === this.#lost) return { removed: false, lost: this.#lost };
        throw error;
      }
      this.#file.forget(this.path);
      this.#file.recycle(this.path);
      handOff(this.path, this.defersWake, this.#options.bypassMs);
      return { removed: true, lost: undefined };
    }
    // Lost: our file may still be linked somewhere as evidence, so it is never reused.
    this.#file.discard();
    return { removed: false, lost: this.#lost };
  }

  #removeOurFile(): void {
    const { token } = this.#file;
    const deadline = Date.now() + this.#options.staleMs;
    for (;;) {
      const outcome = removeIfUnchanged(
        this.path,
        this.#file,
        token,
        this.#options.staleMs,
        // Our inode at the path, still holding our token (nobody rewrote it in place).
        () => this.#stillOurs() && this.#file.hasOurToken(this.path),
      );
      if (outcome === 'removed') return;
      if (outcome === 'changed') throw this.#markLost();
      // 'busy': a breaker holds the guard on our file right now; it finishes within microseconds.
      if (Date.now() > deadline) throw this.#markLost('another process kept breaking it');
      sleepSync(1);
    }
  }

  #stillOurs(): boolean {
    if (this.#lost) return false;
    const stat = lstatSync(this.path, { bigint: true, throwIfNoEntry: false });
    return stat !== undefined && this.#file.isOursAt(this.path, stat);
  }

  #touch(): void {
    const now = new Date();
    try {
      futimesSync(this.#file.fdAt(this.path), now, now);
      this.#lastRefresh = now.getTime();
    } catch {
      // The fd stays valid until release; a failure here shows up in the ownership check.
    }
  }

  #refresh(): void {
    if (this.#released || this.#lost) return;
    this.#touch();
    if (!this.#stillOurs()) {
      const error = this.#markLost();
      try {
        this.#options.onCompromised?.(error);
      } catch {
        // A throwing callback must not crash the timer.
      }
    }
  }

  #markLost(why = 'another process took it (it looked stale) or removed it'): LockError {
    clearInterval(this.#timer);
    this.#uncount();
    if (this.#lost) return this.#lost;
    // Name whoever holds it now, when the file says.
    let holderPid: number | undefined;
    try {
      const snapshot = readSnapshot(this.path);
      holderPid = snapshot ? recordPid(snapshot.record) : undefined;
    } catch {
      // Unreadable: the holder stays unknown.
    }
    this.#lost = new LockError(
      'ELOCKCOMPROMISED',
      `lock ${this.path} is no longer held by this process (pid ${process.pid})${holderPid === undefined ? '' : describeHolder(holderPid)}: ${why}; what it protected may have changed meanwhile`,
      { path: this.path, holderPid },
    );
    return this.#lost;
  }
}

/**
 * A held lock, from {@link acquire}. Release it with `await lock.release()` or `await using`.
 *
 * @example
 * ```ts source="./index.examples.ts#Lock"
 * await using lock = await acquire('/tmp/registry.json.lock');
 * lock.assertHeld();
 * ```
 */
export class Lock extends HeldLock implements AsyncDisposable {
  /** @internal Async code may re-acquire right after releasing: see `handOff`. */
  protected override get defersWake(): boolean {
    return true;
  }

  /**
   * Removes the lock file if it is still ours, and resolves `true`. When the lock was lost meanwhile
   * it removes nothing (the file at the path is another owner's) and resolves `false`; check
   * {@link Lock.compromised} or call `assertHeld()` before writing to learn of a loss earlier.
   * Releasing again resolves `false`. Safe in `finally` blocks: it rejects only on an unexpected
   * system error.
   */
  async release(): Promise<boolean> {
    return this.releaseNow().removed;
  }

  /** @internal Release, reporting a loss: what {@link withLock} uses to surface it. */
  releaseReportingLoss(): LockError | undefined {
    return this.releaseNow().lost;
  }

  /** Same as {@link Lock.release}. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.releaseNow();
  }
}

/**
 * A held lock, from {@link acquireSync}: everything is synchronous, for process-exit paths.
 *
 * @example
 * ```ts source="./index.examples.ts#SyncLock"
 * using lock = acquireSync('/tmp/registry.json.lock');
 * ```
 */
export class SyncLock extends HeldLock implements Disposable, AsyncDisposable {
  /** Synchronous {@link Lock.release}: `true` when our file was removed, `false` when lost or already released. */
  release(): boolean {
    return this.releaseNow().removed;
  }

  /** Same as {@link SyncLock.release}. */
  [Symbol.dispose](): void {
    this.releaseNow();
  }

  /** Same as {@link SyncLock.release}. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.releaseNow();
  }
}
