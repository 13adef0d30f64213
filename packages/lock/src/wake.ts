import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';

/**
 * @internal Lets an async waiter sleep until the one file it waits on changes (inotify through
 * `fs.watch` on that file: unlinking a hard link changes the inode's link count, which inotify
 * reports) or a short poll expires, whichever comes first. Watching the file, not the directory,
 * matters under contention: a directory watch wakes every waiter on every file event beside the lock
 * (tickets, guards, the protected file's own rewrites), and those wake-ups cost more CPU than the
 * critical sections on a small machine. A file that is already gone counts as changed.
 */
export class ChangeWaiter {
  readonly #dir: string;
  #watcher: FSWatcher | undefined;
  #watching: string | undefined;
  #changed = false;
  #wake: (() => void) | undefined;

  /** The file name whose change wakes us; may change between waits. */
  name: string;

  constructor(dir: string, name: string) {
    this.#dir = dir;
    this.name = name;
  }

  /** Watches {@link ChangeWaiter.name}, replacing a watch on another name; false when it is already gone. */
  #watch(): boolean {
    if (this.#watching === this.name && this.#watcher) return true;
    this.stop();
    try {
      const watcher = watch(join(this.#dir, this.name), { persistent: false }, () => {
        this.#changed = true;
        this.#wake?.();
      });
      watcher.on('error', () => this.stop());
      this.#watcher = watcher;
      this.#watching = this.name;
      return true;
    } catch (error) {
      // ENOENT: released between our try and the watch. Anything else (no inotify): polls alone.
      return (error as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  }

  /** Resolves after `ms`, on a change of the watched file, or rejects when `signal` aborts. */
  wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (!this.#watch() || this.#changed) {
      this.#changed = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#wake = undefined;
        this.#changed = false;
      };
      const onAbort = (): void => {
        finish();
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        finish();
        resolve();
      }, ms);
      this.#wake = () => {
        finish();
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Stops watching. */
  stop(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#watching = undefined;
    this.#changed = false;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** @internal Blocks the thread for `ms` without spinning: the synchronous twin's only way to wait. */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * @internal The next poll delay: doubles from 1 ms up to 25 ms, with jitter so waiters that woke
 * together do not retry in lockstep.
 */
export function nextDelay(previous: number): number {
  const base = Math.min(25, previous === 0 ? 1 : previous * 2);
  return base;
}

/** @internal `base` spread by ±50% at random. */
export function jitter(base: number): number {
  return base * (0.5 + Math.random());
}
