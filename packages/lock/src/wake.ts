import { type FSWatcher, watch } from 'node:fs';

/**
 * @internal Lets an async waiter sleep until it is woken ("poked") or a short poll expires,
 * whichever comes first. The waiter watches its own holder file, which is also its queue ticket:
 * a releaser wakes the first waiter in line by touching that ticket (see `wakeHead`), so a release
 * wakes exactly one process, and nothing else anyone does beside the lock (guards, other tickets,
 * the protected file's rewrites, the holder's refreshes) wakes anybody. Polls remain the fallback
 * for wake-ups that cannot come: a holder that crashed, a process following the simple protocol,
 * a file system without inotify.
 */
/**
 * Whether `fs.watch` is used at all. `PORTS_LOCK_NO_WATCH=1` (or {@link disableWatch}) turns it off,
 * for tests of the poll fallback, which must be enough on its own where watching is unreliable
 * (network file systems, no inotify watches left, platforms that report changes late).
 */
let watchEnabled = process.env.PORTS_LOCK_NO_WATCH !== '1';

/** @internal For tests: wait by polls alone (`true`), or watch again. */
export function disableWatch(on: boolean): void {
  watchEnabled = !on;
}

export class ChangeWaiter {
  readonly #path: string | (() => string);
  #watcher: FSWatcher | undefined;
  #changed = false;
  #wake: (() => void) | undefined;
  #wakeLater: NodeJS.Immediate | undefined;

  /** `path`: the file to watch, or a function that names it when {@link ChangeWaiter.arm} runs. */
  constructor(path: string | (() => string)) {
    this.#path = path;
  }

  /**
   * Starts watching (once). Events caused by our own later writes to the file also wake us; the
   * caller treats a wake-up as a hint and re-checks, so a spurious one costs a retry, never safety.
   */
  arm(): void {
    if (this.#watcher || !watchEnabled) return;
    const path = typeof this.#path === 'string' ? this.#path : this.#path();
    try {
      const watcher = watch(path, { persistent: false }, () => {
        this.#changed = true;
        // Wake the waiter only once libuv has dispatched this batch of events. Woken from inside the
        // callback, a waiter that takes the lock runs its whole turn there (microtasks drain before
        // the callback returns) and stops this watch while libuv still iterates it, which keeps the
        // inotify watch alive. Its next wait then got that same watch back, with each change made
        // meanwhile (its own links and unlinks of this file as holder) replayed: ~6 spurious
        // wake-ups per wait, each a turn of the event loop and a look at the ticket.
        this.#wakeLater ??= setImmediate(() => {
          this.#wakeLater = undefined;
          if (this.#changed) this.#wake?.();
        });
      });
      watcher.on('error', () => this.stop());
      this.#watcher = watcher;
    } catch {
      // No inotify (or no watches left): polls alone still work, just slower.
    }
  }

  /**
   * Resolves `true` on a change of the watched file (also one that landed since the last wait),
   * `false` after `ms`; rejects with `signal.reason` when `signal` aborts.
   */
  wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.#changed) {
      this.#changed = false;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve, reject) => {
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
        resolve(false);
      }, ms);
      this.#wake = () => {
        finish();
        resolve(true);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Stops watching. */
  stop(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#changed = false;
    if (this.#wakeLater) clearImmediate(this.#wakeLater);
    this.#wakeLater = undefined;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** @internal Blocks the thread for `ms` without spinning: the synchronous twin's only way to wait. */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Longest poll delay: bounds how late a wake-up that cannot come (a crashed holder) is noticed. */
const MAX_POLL_MS = 25;

/**
 * @internal The next poll delay: doubles from `first` up to 25 ms (the caller adds jitter, so waiters
 * that woke together do not retry in lockstep). The synchronous twin polls from 1 ms, as nothing
 * wakes it; an async waiter is woken by the releaser and polls only as a fallback, so it starts
 * higher: early polls would mostly race the wake-up they duplicate.
 */
export function nextDelay(previous: number, first = 1): number {
  return Math.min(MAX_POLL_MS, previous === 0 ? first : previous * 2);
}

/** @internal `base` spread by ±50% at random. */
export function jitter(base: number): number {
  return base * (0.5 + Math.random());
}
