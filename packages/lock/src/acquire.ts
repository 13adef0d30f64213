import { resolve } from 'node:path';
import { Attempt } from './attempt.js';
import { describeHolder, LockError } from './errors.js';
import { Lock } from './lock.js';
import { type AcquireOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { recordPid } from './record.js';
import { readSnapshot } from './snapshot.js';
import { ChangeWaiter, jitter, nextDelay } from './wake.js';

/** First poll of a woken waiter: polls only catch wake-ups that cannot come. */
const FALLBACK_POLL_MS = 5;

function aborted(path: string, signal: AbortSignal, holderPid?: number): LockError {
  return new LockError(
    'ELOCKABORTED',
    `gave up waiting for lock ${path}${describeHolder(holderPid)}: aborted`,
    {
      path,
      holderPid,
      cause: signal.reason,
    },
  );
}

/** @internal The timeout error both acquire flavours throw. */
export function timedOut(path: string, options: ResolvedOptions, holderPid: number | undefined): LockError {
  return new LockError(
    'ELOCKTIMEOUT',
    `timed out after ${options.timeoutMs} ms waiting for lock ${path}${describeHolder(holderPid)}; ` +
      'raise timeoutMs or find out why the holder keeps it',
    { path, holderPid },
  );
}

/**
 * Takes the lock at `path` (a file path; the file is created beside whatever it protects), waiting
 * while another process holds it. Wakes as soon as the holder releases, serves waiters in arrival
 * order, and takes over at once from a holder that died on this host.
 *
 * @throws {LockError} `ELOCKTIMEOUT`, `ELOCKABORTED`, `ELOCKDIR`, `EINVALIDOPTION`.
 * @example
 * ```ts source="./index.examples.ts#acquire"
 * const lock = await acquire('/var/lib/app/registry.json.lock', { timeoutMs: 5000 });
 * try {
 *   lock.assertHeld();
 *   await writeRegistry();
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export async function acquire(path: string, options?: AcquireOptions): Promise<Lock> {
  const resolved = resolveOptions(path, options);
  const absolute = resolve(path);
  const { signal, timeoutMs } = resolved;
  if (signal?.aborted) {
    // Not a single try: name whoever holds it, when the file says.
    const seen = readSnapshot(absolute);
    throw aborted(absolute, signal, seen ? recordPid(seen.record) : undefined);
  }
  const attempt = new Attempt(absolute, resolved);
  const waiter = new ChangeWaiter(() => attempt.wakePath);
  const deadline = Date.now() + timeoutMs;
  let delay = 0;
  let armed = false;
  let poked = false;
  try {
    for (;;) {
      const acquired = attempt.tryAcquire(poked);
      if (acquired) return new Lock(absolute, acquired, resolved);
      poked = false;
      if (!armed) {
        // Watch only now, after our own writes to the ticket. A release between our last try and
        // the watch may have woken us unheard, if we are first in line: if the lock is gone, look again.
        waiter.arm();
        attempt.pokedSinceLastLook(); // the baseline the next looks compare with
        armed = true;
        if (attempt.first && !attempt.lockExists()) continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw timedOut(absolute, resolved, attempt.holderPid);
      delay = nextDelay(delay, FALLBACK_POLL_MS);
      const until = Date.now() + Math.min(jitter(delay), left);
      try {
        // A change that is not a poke (our own earlier link or unlink of the same file, reported
        // late) is no reason to try: back to sleep until the poll is due.
        while (await waiter.wait(Math.max(0, until - Date.now()), signal)) {
          if (attempt.pokedSinceLastLook()) {
            poked = true;
            break;
          }
        }
      } catch {
        throw aborted(absolute, signal as AbortSignal, attempt.holderPid);
      }
    }
  } finally {
    attempt.close();
    waiter.stop();
  }
}

/**
 * Runs `fn` while holding the lock at `path`, then releases it, also when `fn` throws. If the lock
 * was lost while `fn` ran, `withLock` rejects with `ELOCKCOMPROMISED` even though `fn` succeeded,
 * because what `fn` wrote may have been overwritten by another holder.
 *
 * @example
 * ```ts source="./index.examples.ts#withLock"
 * const next = await withLock(`${file}.lock`, async (lock) => {
 *   const value = Number(await readFile(file, 'utf8')) + 1;
 *   lock.assertHeld();
 *   await writeFile(file, String(value));
 *   return value;
 * });
 * ```
 */
export async function withLock<T>(
  path: string,
  fn: (lock: Lock) => T | Promise<T>,
  options?: AcquireOptions,
): Promise<T> {
  if (typeof fn !== 'function') {
    throw new LockError('EINVALIDOPTION', `withLock needs a function to run, got ${String(fn)}`);
  }
  const lock = await acquire(path, options);
  let result: T;
  try {
    result = await fn(lock);
  } catch (error) {
    // fn's own error says more; the lock is released (or was not ours) either way.
    lock.releaseReportingLoss();
    throw error;
  }
  const lost = lock.releaseReportingLoss();
  if (lost) throw lost;
  return result;
}
