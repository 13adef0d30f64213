import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RegistryError } from './errors.js';

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** How the store reaches the file, and what it tells a user who must pick another one. */
export interface StoreOptions {
  /** Absolute path of the registry file. */
  readonly file: string;
  /** Files larger than this are treated as corrupt rather than parsed. */
  readonly maxBytes: number;
  /** fsync the file and its directory on every write. */
  readonly durable: boolean;
  /** Words that tell a user how to choose another file, e.g. `the "file" option`. */
  readonly fileHint: string;
}

/** The file's text, `undefined` when it does not exist, or `{ tooLarge }` when over `maxBytes`. */
export type ReadResult = string | undefined | { readonly tooLarge: number };

/**
 * How many temp files one process may have open for one registry before their names stop being
 * found by {@link removeTempFilesOf}: one per operation in flight, and operations rarely overlap.
 */
const TEMP_SLOTS = 16;
/** Slots in use in this process, as `<file>\0<slot>`. */
const slotsInUse = new Set<string>();

/**
 * Temp file `slot` of process `pid`: named by pid and slot, so the files a crashed writer left
 * can be found by name (no directory listing) once its entry is evicted.
 */
export function tempPathFor(file: string, pid: number, slot: number): string {
  return `${file}.${pid}.${slot}.tmp`;
}

/** A temp file opened for one write, not yet committed. */
export interface TempFile {
  readonly path: string;
  readonly fd: number;
  readonly slot: number;
}

/**
 * Removes the temp files a dead writer `pid` may have left (a crash between create and rename),
 * by name: the slots {@link openTempSync} hands out, and the one name older versions used.
 */
export function removeTempFilesOf(file: string, pid: number): void {
  for (let slot = 0; slot < TEMP_SLOTS; slot++) unlinkQuietly(tempPathFor(file, pid, slot));
  unlinkQuietly(`${file}.${pid}.tmp`);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Usually there is none.
  }
}

function ioError(options: StoreOptions, action: string, error: unknown): RegistryError {
  const errno = error as NodeJS.ErrnoException;
  if (errno.code === 'ELOOP') {
    return new RegistryError(
      'EREGISTRYSYMLINK',
      `registry ${options.file} is a symlink; it is never followed. Remove it, or choose another file with ${options.fileHint}.`,
      { cause: error },
    );
  }
  return new RegistryError(
    'EREGISTRYIO',
    `could not ${action} registry ${options.file}: ${errno.code ?? errno.message}. Check that ${dirname(options.file)} exists and is writable, or choose another file with ${options.fileHint}.`,
    { cause: error },
  );
}

function checkOwnedRegularFile(options: StoreOptions, stats: { uid: number; isFile(): boolean }): void {
  if (!stats.isFile()) {
    throw new RegistryError(
      'EREGISTRYIO',
      `registry ${options.file} is not a regular file; choose another file with ${options.fileHint}.`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new RegistryError(
      'EREGISTRYOWNER',
      `registry ${options.file} belongs to uid ${stats.uid}, not to you (uid ${uid}); refusing to use another user's registry. Choose another file with ${options.fileHint}.`,
    );
  }
}

/** Reads the registry without following a symlink, refusing files of other users. */
export async function readRegistryText(options: StoreOptions): Promise<ReadResult> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(options.file, READ_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(options, 'open', error);
  }
  try {
    const stats = await handle.stat();
    checkOwnedRegularFile(options, stats);
    if (stats.size > options.maxBytes) return { tooLarge: stats.size };
    return await handle.readFile('utf8');
  } catch (error) {
    throw error instanceof RegistryError ? error : ioError(options, 'read', error);
  } finally {
    await handle.close();
  }
}

/** Synchronous twin of {@link readRegistryText}, for exit paths. */
export function readRegistryTextSync(options: StoreOptions): ReadResult {
  let fd: number;
  try {
    fd = openSync(options.file, READ_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(options, 'open', error);
  }
  try {
    const stats = fstatSync(fd);
    checkOwnedRegularFile(options, stats);
    if (stats.size > options.maxBytes) return { tooLarge: stats.size };
    const buffer = Buffer.alloc(stats.size);
    let offset = 0;
    while (offset < buffer.length) {
      const read = readSync(fd, buffer, offset, buffer.length - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return buffer.toString('utf8', 0, offset);
  } catch (error) {
    throw error instanceof RegistryError ? error : ioError(options, 'read', error);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates a fresh temp file beside the registry (mode 0600, O_EXCL, never through a symlink) in the
 * lowest slot this process is not using. Creating an inode is the slowest step of a write after the
 * rename, so callers do it before they take the lock; operations of one process may overlap, hence
 * one slot each.
 */
export function openTempSync(options: StoreOptions): TempFile {
  let slot = 0;
  while (slotsInUse.has(`${options.file}\0${slot}`)) slot++;
  const path = tempPathFor(options.file, process.pid, slot);
  // A leftover of a dead process that had our pid.
  unlinkQuietly(path);
  let fd: number;
  try {
    fd = openSync(path, TEMP_FLAGS, 0o600);
  } catch (error) {
    throw ioError(options, 'write', error);
  }
  slotsInUse.add(`${options.file}\0${slot}`);
  return { path, fd, slot };
}

/** Closes and removes a temp file that was not committed. */
export function discardTempSync(options: StoreOptions, temp: TempFile): void {
  try {
    closeSync(temp.fd);
  } catch {
    // Closed by a failed commit.
  }
  unlinkQuietly(temp.path);
  slotsInUse.delete(`${options.file}\0${temp.slot}`);
}

/**
 * Writes `text` to `temp`, then `beforeCommit` (the caller proves it still holds the lock), then
 * renames it over the registry. A crash at any point leaves either the old file or the new one,
 * never a torn one. Synchronous, because it runs inside the registry lock, where every event-loop
 * turn lengthens the hold. The temp file is gone afterwards, committed or removed.
 */
export function commitTempSync(
  options: StoreOptions,
  temp: TempFile,
  text: string,
  beforeCommit: () => void,
): void {
  let closed = false;
  try {
    try {
      writeSync(temp.fd, text);
      if (options.durable) fsyncSync(temp.fd);
    } finally {
      closed = true;
      closeSync(temp.fd);
    }
    beforeCommit();
    renameSync(temp.path, options.file);
    slotsInUse.delete(`${options.file}\0${temp.slot}`);
    if (options.durable) syncDirectorySync(dirname(options.file));
  } catch (error) {
    if (closed) {
      unlinkQuietly(temp.path);
      slotsInUse.delete(`${options.file}\0${temp.slot}`);
    } else discardTempSync(options, temp);
    throw error instanceof RegistryError || (error as { name?: string }).name === 'LockError'
      ? error
      : ioError(options, 'write', error);
  }
}

/** Writes `text` atomically through a new temp file: {@link openTempSync} then {@link commitTempSync}. */
export function writeRegistryTextSync(options: StoreOptions, text: string, beforeCommit: () => void): void {
  commitTempSync(options, openTempSync(options), text, beforeCommit);
}

/** Moves an unusable registry aside (never deletes it) and returns where it went. */
export function moveAsideSync(options: StoreOptions): string {
  const aside = `${options.file}.corrupt-${Date.now()}`;
  try {
    renameSync(options.file, aside);
  } catch (error) {
    throw ioError(options, 'move aside', error);
  }
  return aside;
}

function syncDirectorySync(directory: string): void {
  const fd = openSync(directory, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
