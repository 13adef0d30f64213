import { close, constants, openSync, readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processGone } from '@ports/lock';

const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Numbers this process's temp files, so two transactions of one process never share one. */
let sequence = 0;

/**
 * A new temp file of ours beside the registry, `<file>.<pid>.<n>.tmp`, created O_EXCL with mode 0600
 * (never through a symlink) and open for writing. The pid in the name lets anyone remove it once
 * we are gone.
 */
export interface TempFile {
  readonly path: string;
  readonly fd: number;
}

/**
 * Creates a {@link TempFile}. Creating a file allocates an inode, ~0.1 ms on a busy ext4: a writer
 * creates it before taking the registry lock, so the critical section only fills and renames it.
 * Throws the system error (the caller words it).
 */
export function createTempFile(file: string): TempFile {
  const path = `${file}.${process.pid}.${++sequence}.tmp`;
  try {
    return { path, fd: openSync(path, TEMP_FLAGS, 0o600) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Left by an earlier process that had our pid and crashed mid-write: it is ours to replace.
    unlinkSync(path);
    return { path, fd: openSync(path, TEMP_FLAGS, 0o600) };
  }
}

/** Removes a temp file that was not renamed into place, and closes it (on the thread pool). */
export function discardTempFile(temp: TempFile): void {
  unlinkQuietly(temp.path);
  close(temp.fd, () => {});
}

/** The pid in a temp file name of `file`'s (`<base>.<pid>.<n>.tmp`, or `<base>.<pid>.tmp` of older versions). */
export function tempFileOwner(file: string, name: string): number | undefined {
  const prefix = `${basename(file)}.`;
  if (!name.startsWith(prefix) || !name.endsWith('.tmp')) return undefined;
  const match = /^(\d+)(?:\.\d+)?\.tmp$/.exec(name.slice(prefix.length));
  return match ? Number(match[1]) : undefined;
}

/**
 * Removes temp files left beside `file` by processes that died mid-write: those of the pids in
 * `dead`, or, when `dead` is omitted, of every other process that is gone. One directory listing;
 * never throws (a leftover costs disk space, not correctness).
 */
export function removeOrphanTempFiles(file: string, dead?: ReadonlySet<number>): void {
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = tempFileOwner(file, name);
    if (pid === undefined || pid === process.pid) continue;
    if (dead ? dead.has(pid) : processGone(pid) !== false) unlinkQuietly(join(dirname(file), name));
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
