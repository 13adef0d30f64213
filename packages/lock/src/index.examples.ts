/**
 * Type-checked examples of `@ports/lock`, copied into the TSDoc `@example` blocks that name their
 * region (`pnpm sync-examples`; `scripts/tsdoc-examples.test.ts` fails when they differ). Nothing calls
 * these functions: they exist to be type-checked. Not part of the build (tsup bundles `index.ts` only).
 * What an example takes from its surroundings is a parameter.
 */

import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import {
  acquire,
  acquireSync,
  heldByThisProcess,
  LockError,
  parseProcStatLine,
  processGone,
  withLock,
} from './index.js';

/** {@link acquireSync}. */
export function acquireSyncExample(registry: string, removeOurEntrySync: (file: string) => void): void {
  //#region acquireSync
  process.on('exit', () => {
    const lock = acquireSync(`${registry}.lock`, { timeoutMs: 1000 });
    try {
      removeOurEntrySync(registry);
    } finally {
      lock.release();
    }
  });
  //#endregion acquireSync
}

/** {@link acquire}. */
export async function acquireExample(writeRegistry: () => Promise<void>): Promise<void> {
  //#region acquire
  const lock = await acquire('/var/lib/app/registry.json.lock', { timeoutMs: 5000 });
  try {
    lock.assertHeld();
    await writeRegistry();
  } finally {
    await lock.release();
  }
  //#endregion acquire
}

/** {@link withLock}. */
export async function withLockExample(file: string): Promise<number> {
  //#region withLock
  const next = await withLock(`${file}.lock`, async (lock) => {
    const value = Number(await readFile(file, 'utf8')) + 1;
    lock.assertHeld();
    await writeFile(file, String(value));
    return value;
  });
  //#endregion withLock
  return next;
}

/** {@link LockError}. */
export async function LockErrorExample(path: string, work: () => Promise<void>): Promise<void> {
  //#region LockError
  try {
    await withLock(path, work, { timeoutMs: 2000 });
  } catch (error) {
    if (error instanceof LockError && error.code === 'ELOCKTIMEOUT')
      console.error(`busy (pid ${error.holderPid})`);
    else throw error;
  }
  //#endregion LockError
}

/** {@link heldByThisProcess}. */
export function heldByThisProcessExample(lockPath: string, writeFinalState: () => void): void {
  //#region heldByThisProcess
  process.on('exit', () => {
    if (heldByThisProcess(lockPath)) return; // the async work holding it cannot finish now anyway
    using lock = acquireSync(lockPath, { timeoutMs: 2000 });
    writeFinalState();
  });
  //#endregion heldByThisProcess
}

/** {@link Lock}. */
export async function LockExample(): Promise<void> {
  //#region Lock
  await using lock = await acquire('/tmp/registry.json.lock');
  lock.assertHeld();
  //#endregion Lock
}

/** {@link SyncLock}. */
export function SyncLockExample(): void {
  //#region SyncLock
  using lock = acquireSync('/tmp/registry.json.lock');
  //#endregion SyncLock
}

/** {@link parseProcStatLine}. */
export function parseProcStatLineExample(pid: number): void {
  //#region parseProcStatLine
  const stat = parseProcStatLine(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  if (stat?.state === 'Z') console.error(`${pid} has exited`);
  //#endregion parseProcStatLine
}

/** {@link processGone}. */
export function processGoneExample(forget: (entry: { pid: number; startTime: number }) => void): void {
  //#region processGone
  const entry = { pid: 4242, startTime: 123456 };
  if (processGone(entry.pid, entry.startTime)) forget(entry);
  //#endregion processGone
}
