import { randomBytes } from 'node:crypto';
import { close, constants, openSync, readdirSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { processGone } from '@ports/lock';

const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * This host, as a short tag in temp file names: a pid says whether a writer is gone only on the host
 * (and in the pid namespace) that gave it out, so only temp files tagged with our host are ever judged
 * by their pid here. Two hosts, or two containers, may share the registry's directory.
 */
const HOST_TAG = hostTag(hostname());

function hostTag(name: string): string {
  // FNV-1a, 32 bits: enough to tell the hosts sharing one directory apart.
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * A new temp file of ours beside the registry, `<file>.<pid>.<host tag>.<random>.tmp`, created O_EXCL
 * with mode 0600 (never through a symlink) and open for writing. The random part keeps two writers
 * apart even when they share a pid (two containers whose node is pid 1); the pid and host tag let
 * anyone on this host remove it once we are gone.
 */
export interface TempFile {
  readonly path: string;
  readonly fd: number;
}

/**
 * Creates a {@link TempFile}. Creating a file allocates an inode, ~0.1 ms on a busy ext4: a writer
 * creates it before taking the registry lock, so the critical section only fills and renames it. A
 * name that exists already is somebody else's: another name is drawn, nothing is removed.
 * Throws the system error (the caller words it).
 */
export function createTempFile(file: string): TempFile {
  for (let attempt = 0; ; attempt++) {
    const path = `${file}.${process.pid}.${HOST_TAG}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      return { path, fd: openSync(path, TEMP_FLAGS, 0o600) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
  }
}

/** Removes a temp file that was not renamed into place, and closes it (on the thread pool). */
export function discardTempFile(temp: TempFile): void {
  unlinkQuietly(temp.path);
  close(temp.fd, () => {});
}

/**
 * Whose temp file `name` (an entry of `file`'s directory) is: the pid of a writer on this host, or
 * `undefined` for any other file, including temp files of other hosts. Also reads the
 * `<file>.<pid>.tmp` names of earlier versions, which carried no host tag.
 */
export function tempFileOwner(file: string, name: string): number | undefined {
  const prefix = `${basename(file)}.`;
  if (!name.startsWith(prefix) || !name.endsWith('.tmp')) return undefined;
  const match = /^(\d+)(?:\.([0-9a-f]{8})\.[0-9a-f]{8})?\.tmp$/.exec(name.slice(prefix.length));
  if (!match || (match[2] !== undefined && match[2] !== HOST_TAG)) return undefined;
  return Number(match[1]);
}

/**
 * Removes temp files that writers on this host left beside `file` when they died mid-write: those of
 * the pids in `dead`, or, when `dead` is omitted, of every other local process that is gone. One
 * directory listing; meant to run outside the lock. Never throws: a leftover costs disk space, not
 * correctness.
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
