import { closeSync, constants, fstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { LockError } from './errors.js';

/** O_EXCL makes creation atomic; O_NOFOLLOW (and O_EXCL itself) refuse to go through a symlink. */
const CREATE_FLAGS = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;
const DIR_ERRORS = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENAMETOOLONG', 'ELOOP']);

/** @internal A file we created and still have open. */
export interface CreatedFile {
  readonly fd: number;
  readonly dev: bigint;
  readonly ino: bigint;
}

/** @internal Turns "cannot create a file there" into an error that says so, instead of waiting for a timeout. */
export function directoryError(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined || !DIR_ERRORS.has(code)) return error;
  const reason =
    code === 'ENOENT' || code === 'ENOTDIR'
      ? 'its directory does not exist'
      : code === 'ENAMETOOLONG' || code === 'ELOOP'
        ? 'the path cannot be resolved'
        : 'its directory is not writable';
  return new LockError(
    'ELOCKDIR',
    `cannot create lock file ${path}: ${reason} (${code}); create ${dirname(path)} or choose another path`,
    { path, cause: error },
  );
}

/**
 * @internal Creates `path` exclusively with mode 0600 and writes `content`; null when it already
 * exists. The file is complete before anyone but a reader racing the write can see it: such a reader
 * sees empty content, which counts as a fresh lock of an unknown owner.
 */
export function createExclusive(path: string, content: string): CreatedFile | null {
  let fd: number;
  try {
    fd = openSync(path, CREATE_FLAGS, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw directoryError(path, error);
  }
  try {
    writeSync(fd, content);
    const stat = fstatSync(fd, { bigint: true });
    return { fd, dev: stat.dev, ino: stat.ino };
  } catch (error) {
    // Nobody else may remove a file this fresh, so removing it by path is ours to do.
    closeSync(fd);
    unlinkSync(path);
    throw error;
  }
}
