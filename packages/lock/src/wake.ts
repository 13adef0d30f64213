import { type FSWatcher, watch } from 'node:fs';

/** One inotify watch per directory per process, shared by every waiter on locks in it. */
interface SharedWatch {
  readonly watcher: FSWatcher;
  readonly listeners: Set<(name: string) => void>;
  closeTimer: NodeJS.Timeout | undefined;
}

const watches = new Map<string, SharedWatch>();
/** Keep an idle watch a little, so a process locking in a loop does not re-create it every cycle. */
const LINGER_MS = 2000;

function closeWatch(dir: string, shared: SharedWatch): void {
  if (watches.get(dir) === shared) watches.delete(dir);
  clearTimeout(shared.closeTimer);
  shared.watcher.close();
}

function subscribe(dir: string, listener: (name: string) => void): (() => void) | undefined {
  let shared = watches.get(dir);
  if (!shared) {
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false });
    } catch {
      return undefined; // no inotify (or no permission): polling alone still works
    }
    const created: SharedWatch = { watcher, listeners: new Set(), closeTimer: undefined };
    watcher.on('change', (_event, name) => {
      for (const notify of [...created.listeners]) notify(String(name));
    });
    watcher.on('error', () => closeWatch(dir, created));
    watcher.unref();
    watches.set(dir, created);
    shared = created;
  }
  const active = shared;
  clearTimeout(active.closeTimer);
  active.closeTimer = undefined;
  active.listeners.add(listener);
  return () => {
    active.listeners.delete(listener);
    if (active.listeners.size === 0 && watches.get(dir) === active) {
      active.closeTimer = setTimeout(() => closeWatch(dir, active), LINGER_MS);
      active.closeTimer.unref();
    }
  };
}

/**
 * @internal Lets an async waiter sleep until the lock file changes (inotify through `fs.watch`) or a
 * short poll expires, whichever comes first. A change that lands between two waits is remembered, so
 * a release is never missed; the poll covers file systems without change events.
 */
export class ChangeWaiter {
  readonly #dir: string;
  #unsubscribe: (() => void) | undefined;
  #started = false;
  #changed = false;
  #wake: (() => void) | undefined;

  /** The file name whose change wakes us; may change between waits. */
  name: string;

  constructor(dir: string, name: string) {
    this.#dir = dir;
    this.name = name;
  }

  /** Starts listening; called on the first contention only, so the uncontended path stays cheap. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribe = subscribe(this.#dir, (name) => {
      if (name !== this.name) return;
      this.#changed = true;
      this.#wake?.();
    });
  }

  /** Resolves after `ms`, on a change of the lock file, or rejects when `signal` aborts. */
  wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    this.start();
    if (this.#changed) {
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

  /** Stops listening. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
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
