import { unlinkSync } from 'node:fs';
import type { HolderFile } from './holder.js';
import { holderGone, hostName } from './process-info.js';
import { sidecarPath } from './sidecar.js';
import { readSnapshot, type Snapshot } from './snapshot.js';

/** @internal What a guarded removal did. */
export type RemoveOutcome = 'removed' | 'changed' | 'busy';

const MAX_LEVELS = 32;

/** @internal Removes `path`; one that is already gone (someone else removed it) is what was wanted. */
export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: what we wanted.
  }
}

/** A guard whose holder is gone can never act again, so the next level may be taken. */
function guardAbandoned(guard: Snapshot, staleMs: number): boolean {
  const { record } = guard;
  if (record.kind === 'owner' && record.hostname === hostName)
    return !!holderGone(record.pid, record.startTime);
  return Date.now() - guard.mtimeMs > staleMs;
}

/**
 * @internal Removes the lock file at `path` only if `stillRemovable` approves a fresh look at it,
 * with no other remover of the same lock instance in between.
 *
 * Creation is atomic (O_EXCL), removal is not: two removers that each checked the file and then
 * unlink it can remove a lock created between the first unlink and the second. So every remover of
 * lock instance `identity` (a breaker, or its owner releasing) first takes the guard
 * `<path>.d/break-<identity>-0`, created atomically and complete by hard-linking `holder` (which
 * records our pid) there. While a guard is held nobody else removes that instance, so check-then-unlink is safe.
 * A guard whose holder died is never removed (that removal would race the same way): the next
 * level `-1`, `-2`... is taken instead. Once the instance is gone its guard names can never matter
 * again, because identity names that one instance only.
 */
export function removeIfUnchanged(
  path: string,
  holder: HolderFile,
  identity: string,
  staleMs: number,
  stillRemovable: () => boolean,
): RemoveOutcome {
  let level = 0;
  let guard = '';
  let rereads = 0;
  for (; level < MAX_LEVELS; level++) {
    guard = `${sidecarPath(path)}/break-${identity}-${level}`;
    if (holder.linkTo(guard)) break;
    const other = readSnapshot(guard);
    if (other === null) {
      if (++rereads > MAX_LEVELS) return 'busy';
      level--; // released meanwhile: try the same level again
      continue;
    }
    if (!guardAbandoned(other, staleMs)) return 'busy';
  }
  if (level === MAX_LEVELS) return 'busy';
  let removed = false;
  try {
    if (!stillRemovable()) return 'changed';
    try {
      unlinkSync(path);
    } catch (error) {
      // Only a process outside this protocol (the simple one) removes without the guard.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'changed';
      throw error;
    }
    removed = true;
    return 'removed';
  } finally {
    unlinkQuietly(guard);
    holder.forget(guard);
    // The instance is gone for good, so the guards of dead removers below us are mere litter.
    if (removed)
      for (let lower = 0; lower < level; lower++)
        unlinkQuietly(`${sidecarPath(path)}/break-${identity}-${lower}`);
  }
}
