import { futimesSync, lstatSync } from 'node:fs';
import { LockError } from './errors.js';
import { removeIfUnchanged } from './guard.js';
import type { HolderFile } from './holder.js';
import type { ResolvedOptions } from './options.js';
import { wakeHead } from './queue.js';
import { sleepSync } from './wake.js';

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

  /** @internal Use {@link acquire} or {@link acquireSync}. */
  constructor(path: string, file: HolderFile, options: ResolvedOptions) {
    this.path = path;
    this.#file = file;
    this.#options = options;
    this.#timer = setInterval(() => this.#refresh(), options.refreshMs);
    this.#timer.unref();
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

  /** @internal The synchronous release both handles share. */
  protected releaseNow(): void {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    if (!this.#lost) {
      try {
        this.#removeOurFile();
      } catch (error) {
        this.#file.discard();
        throw error;
      }
      this.#file.recycle(this.path);
      wakeHead(this.path);
      return;
    }
    // Lost: our file may still be linked somewhere as evidence, so it is never reused.
    this.#file.discard();
    throw this.#lost;
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
        () => this.#stillOurs() && this.#file.hasOurToken(),
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
    return stat !== undefined && stat.ino === this.#file.ino && stat.dev === this.#file.dev;
  }

  #touch(): void {
    const now = new Date();
    try {
      futimesSync(this.#file.fd, now, now);
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
    this.#lost ??= new LockError(
      'ELOCKCOMPROMISED',
      `lock ${this.path} is no longer held by pid ${process.pid}: ${why}; what it protected may have changed meanwhile`,
      { path: this.path, holderPid: process.pid },
    );
    return this.#lost;
  }
}

/**
 * A held lock, from {@link acquire}. Release it with `await lock.release()` or `await using`.
 *
 * @example
 * ```ts
 * await using lock = await acquire('/tmp/registry.json.lock');
 * lock.assertHeld();
 * ```
 */
export class Lock extends HeldLock implements AsyncDisposable {
  /**
   * Removes the lock file if it is still ours. Rejects with `ELOCKCOMPROMISED` (and removes nothing)
   * when it was taken meanwhile, so the caller learns its critical section was not exclusive.
   * Releasing again is a no-op.
   */
  async release(): Promise<void> {
    this.releaseNow();
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
 * ```ts
 * using lock = acquireSync('/tmp/registry.json.lock');
 * ```
 */
export class SyncLock extends HeldLock implements Disposable, AsyncDisposable {
  /** Synchronous {@link Lock.release}: throws `ELOCKCOMPROMISED` when the lock was lost; no-op when released. */
  release(): void {
    this.releaseNow();
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
