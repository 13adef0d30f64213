import { renameSync } from 'node:fs';

/** Errors of a rename on Windows that a moment's wait may clear: an open handle, an antivirus scan. */
const TRANSIENT = new Set(['EPERM', 'EBUSY', 'EACCES']);
/** How long such a rename is retried before its error stands. */
const RETRY_FOR_MS = 1000;
const MAX_DELAY_MS = 50;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** @internal How {@link renameRetrying} renames and waits, for tests. */
export interface RenameDeps {
  readonly rename: (from: string, to: string) => void;
  /** Whether this platform's renames fail transiently (Windows). */
  readonly transientFailures: boolean;
  readonly sleep: (ms: number) => void;
  readonly now: () => number;
}

const defaults: RenameDeps = {
  rename: renameSync,
  transientFailures: process.platform === 'win32',
  sleep: (ms) => Atomics.wait(sleeper, 0, 0, ms),
  now: Date.now,
};

/**
 * @internal `rename(from, to)`, synchronous (it runs inside the registry lock). On Windows a rename over
 * a file that another process has open (a reader without FILE_SHARE_DELETE, an antivirus scan, the
 * search indexer) fails with EPERM, EBUSY or EACCES for as long as that handle stays open, usually
 * milliseconds: such a failure is retried, sleeping 1, 2, 4… up to 50 ms, for up to 1 s before it
 * stands. Elsewhere those errors are final at once (a permission problem does not pass by waiting).
 */
export function renameRetrying(from: string, to: string, deps: Partial<RenameDeps> = {}): void {
  const { rename, transientFailures, sleep, now } = { ...defaults, ...deps };
  const deadline = now() + RETRY_FOR_MS;
  for (let delay = 1; ; delay = Math.min(MAX_DELAY_MS, delay * 2)) {
    try {
      rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!transientFailures || code === undefined || !TRANSIENT.has(code) || now() >= deadline) throw error;
      sleep(Math.min(delay, Math.max(0, deadline - now())));
    }
  }
}
