import { randomBytes } from 'node:crypto';
import { close, constants, openSync, readdirSync, readlinkSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ownProcessStartTime, processGone } from '@ports/lock';

const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Where our pids mean something, as a short tag in temp file names: this host and, on Linux, this pid
 * namespace. A pid says whether a writer is gone only there, so only temp files with our tag are ever
 * judged by their pid here: hosts and containers (even ones sharing the host's name) that share the
 * registry's directory never remove each other's.
 */
const PID_SCOPE_TAG = fnv1a(`${hostname()}\n${pidNamespace()}`);

function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Our pid and start time, as the name says them: a reused pid has another start time. */
const OWNER = `${process.pid}-${ownProcessStartTime ?? 'x'}`;

/**
 * A new temp file of ours beside the registry, `<file>.<pid>-<start time>.<scope tag>.<random>.tmp`,
 * created O_EXCL with mode 0600 (never through a symlink) and open for writing. The random part keeps
 * two writers apart even when they share a pid (two containers whose node is pid 1); the pid, start
 * time and scope tag let anyone in our pid namespace remove it once we are gone.
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
    const path = `${file}.${OWNER}.${PID_SCOPE_TAG}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const fd = openSync(path, TEMP_FLAGS, 0o600);
      pending.add(path);
      removePendingOnExit();
      return { path, fd };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
  }
}

/** Removes a temp file that was not renamed into place, and closes it (on the thread pool). */
export function discardTempFile(temp: TempFile): void {
  forgetTempFile(temp);
  unlinkQuietly(temp.path);
  close(temp.fd, () => {});
}

/**
 * Temp files of this process that are neither renamed into place nor removed yet: a transaction
 * waiting for the lock holds one. If the process exits meanwhile, they go with it.
 */
const pending = new Set<string>();
let exitCleanupInstalled = false;

function removePendingOnExit(): void {
  if (exitCleanupInstalled) return;
  exitCleanupInstalled = true;
  process.once('exit', () => {
    for (const path of pending) unlinkQuietly(path);
  });
}

/** Marks `temp` as renamed into place or removed by its user: nothing left to clean up on exit. */
export function forgetTempFile(temp: TempFile): void {
  pending.delete(temp.path);
}

/** The writer a temp file name names. */
export interface TempFileOwner {
  readonly pid: number;
  /** `null` when unknown: no /proc, or a name of an earlier version. */
  readonly startTime: number | null;
}

/**
 * Whose temp file `name` (an entry of `file`'s directory) is: a writer in our pid namespace, or
 * `undefined` for any other file, including temp files of other hosts and containers. Also reads the
 * `<file>.<pid>.tmp` names of earlier versions, which carried no tag.
 */
export function tempFileOwner(file: string, name: string): TempFileOwner | undefined {
  const prefix = `${basename(file)}.`;
  if (!name.startsWith(prefix) || !name.endsWith('.tmp')) return undefined;
  const rest = name.slice(prefix.length);
  const legacy = /^(\d+)\.tmp$/.exec(rest);
  if (legacy) return { pid: Number(legacy[1]), startTime: null };
  const match = /^(\d+)-(\d+|x)\.([0-9a-f]{8})\.[0-9a-f]{8}\.tmp$/.exec(rest);
  if (!match || match[3] !== PID_SCOPE_TAG) return undefined;
  return { pid: Number(match[1]), startTime: match[2] === 'x' ? null : Number(match[2]) };
}

/**
 * Removes the temp files that writers in our pid namespace left beside `file` when they died
 * mid-write (pid gone, or reused by a process started at another time). One directory listing; meant
 * to run outside the lock. Never throws: a leftover costs disk space, not correctness.
 */
export function removeOrphanTempFiles(file: string): void {
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const owner = tempFileOwner(file, name);
    if (!owner || (owner.pid === process.pid && owner.startTime === (ownProcessStartTime ?? null))) continue;
    if (processGone(owner.pid, owner.startTime) !== false) unlinkQuietly(join(dirname(file), name));
  }
}

/** Removes `path`; one that is already gone is what was wanted. */
export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
