import { lstatSync, mkdirSync } from 'node:fs';
import { LockError } from './errors.js';

/** Directories this process created or checked, so the common case costs no syscall. */
const checked = new Set<string>();

/**
 * @internal The private directory `<lock>.d` that holds a lock's holder files, queue tickets and
 * removal guards. Keeping them out of the lock's own directory matters: a waiter and a releaser list
 * them on every step, and the lock's directory may be all of /tmp. It is on the same file system as
 * the lock (a subdirectory), so `link(2)` of a holder file at the lock path still works.
 */
export function sidecarPath(lockPath: string): string {
  return `${lockPath}.d`;
}

/**
 * @internal Makes sure the sidecar of `lockPath` exists as a real directory (mode 0700) of ours,
 * never reached through a symlink; returns its path. `recheck` forgets an earlier check, for a
 * caller that found the directory gone or is about to create a new file in it.
 */
export function ensureSidecar(lockPath: string, recheck = false): string {
  const dir = sidecarPath(lockPath);
  if (!recheck && checked.has(dir)) return dir;
  checked.delete(dir);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) {
    throw new LockError(
      'ELOCKDIR',
      `lock directory ${dir} is ${stat.isSymbolicLink() ? 'a symlink' : 'not a directory'}; it is never followed. Remove it, or choose another lock path`,
      { path: lockPath },
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new LockError(
      'ELOCKDIR',
      `lock directory ${dir} belongs to uid ${stat.uid}, not to you (uid ${uid}); refusing to use it. Remove it, or choose another lock path`,
      { path: lockPath },
    );
  }
  checked.add(dir);
  return dir;
}
