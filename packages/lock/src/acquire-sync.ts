import { resolve } from 'node:path';
import { timedOut } from './acquire.js';
import { Attempt } from './attempt.js';
import { LockError } from './errors.js';
import { heldByThisProcess, SyncLock } from './lock.js';
import { type AcquireOptions, resolveOptions } from './options.js';
import { jitter, nextDelay, sleepSync } from './wake.js';

/** Options of {@link acquireSync}: those of `acquire` except `signal`, which nothing could fire while we block. */
export type AcquireSyncOptions = Omit<AcquireOptions, 'signal'>;

/**
 * The synchronous twin of {@link acquire}, for process-exit paths where only synchronous code runs.
 * Same protocol and same guarantees; it blocks the thread while it waits (sleeping, not spinning),
 * so keep `timeoutMs` short there.
 *
 * @throws {LockError} `ELOCKTIMEOUT` (at once when this process already holds the lock: see {@link heldByThisProcess}), `ELOCKDIR`, `EINVALIDOPTION`.
 * @example
 * ```ts source="./index.examples.ts#acquireSync"
 * process.on('exit', () => {
 *   const lock = acquireSync(`${registry}.lock`, { timeoutMs: 1000 });
 *   try {
 *     removeOurEntrySync(registry);
 *   } finally {
 *     lock.release();
 *   }
 * });
 * ```
 */
export function acquireSync(path: string, options?: AcquireSyncOptions): SyncLock {
  const signal = (options as AcquireOptions | undefined)?.signal;
  if (signal !== undefined) {
    throw new LockError(
      'EINVALIDOPTION',
      `option signal is not supported by acquireSync, got ${String(signal)}`,
    );
  }
  const resolved = resolveOptions(path, options);
  const absolute = resolve(path);
  if (heldByThisProcess(absolute)) {
    // Blocking here would keep this very process from ever releasing it.
    throw new LockError(
      'ELOCKTIMEOUT',
      `lock ${absolute} is held by this process (pid ${process.pid}) through a handle not yet released; a synchronous acquire would only wait for itself: release that handle first`,
      { path: absolute, holderPid: process.pid },
    );
  }
  const attempt = new Attempt(absolute, resolved);
  const deadline = Date.now() + resolved.timeoutMs;
  let delay = 0;
  try {
    for (;;) {
      const acquired = attempt.tryAcquire();
      if (acquired) return new SyncLock(absolute, acquired, resolved);
      const left = deadline - Date.now();
      if (left <= 0) throw timedOut(absolute, resolved, attempt.holderPid);
      delay = nextDelay(delay);
      sleepSync(Math.min(jitter(delay), left));
    }
  } finally {
    attempt.close();
  }
}
