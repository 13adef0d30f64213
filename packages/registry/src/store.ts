import {
  close as closeCallback,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RegistryError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { renameRetrying } from './rename.js';
import { createTempFile, forgetTempFile, type TempFile, unlinkQuietly } from './temp-files.js';

// O_NONBLOCK: a FIFO planted at the path opens at once (and is then refused as not a regular file)
// instead of blocking until someone writes to it; for a regular file it changes nothing.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

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

/** The store options of a registry's resolved options. */
export function storeOptions(options: ResolvedOptions): StoreOptions {
  const { file, maxFileBytes: maxBytes, durable, fileHint } = options;
  return { file, maxBytes, durable, fileHint };
}

/** The file's text, `undefined` when it does not exist, or `{ tooLarge }` when over `maxBytes`. */
export type ReadResult = string | undefined | { readonly tooLarge: number };

/** The file's owner when it is not the current user, found by `lstat`; `undefined` otherwise or when unknown. */
function foreignOwner(file: string): number | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  try {
    const owner = lstatSync(file).uid;
    return owner === uid ? undefined : owner;
  } catch {
    return undefined;
  }
}

function ownerError(options: StoreOptions, owner: number, cause?: unknown): RegistryError {
  return new RegistryError(
    'EREGISTRYOWNER',
    `registry ${options.file} belongs to uid ${owner}, not to you (uid ${process.getuid?.()}); refusing to use another user's registry. Choose another file with ${options.fileHint}.`,
    cause === undefined ? undefined : { cause },
  );
}

function ioError(options: StoreOptions, action: string, error: unknown): RegistryError {
  const errno = error as NodeJS.ErrnoException;
  if (errno.code === 'EACCES' || errno.code === 'EPERM') {
    // Another user's 0600 registry cannot even be opened: say whose it is, not just "permission denied".
    const owner = foreignOwner(options.file);
    if (owner !== undefined) return ownerError(options, owner, error);
  }
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
  if (uid !== undefined && stats.uid !== uid) throw ownerError(options, stats.uid);
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

/** What {@link readRegistryHeldSync} read, with the file still open. */
export interface HeldRegistry {
  readonly text: ReadResult;
  /**
   * Closes the file, idempotently. The close runs on libuv's thread pool: if the file was replaced
   * meanwhile, freeing its inode then happens on another core instead of delaying the next holder.
   */
  close(): void;
}

/**
 * Synchronous read that keeps the file open until `close()`. Inside the registry lock this matters for
 * speed: while we hold the old file open, the rename that replaces it does not free its inode (on ext4,
 * ~80 µs of block and inode freeing); the kernel frees it when we close, after the lock is released.
 */
export function readRegistryHeldSync(options: StoreOptions): HeldRegistry {
  const fd = openRegistrySync(options);
  if (fd === undefined) return { text: undefined, close() {} };
  let open = true;
  const close = (): void => {
    if (!open) return;
    open = false;
    closeInBackground(fd);
  };
  try {
    return { text: readOpenRegistry(options, fd), close };
  } catch (error) {
    close();
    throw error;
  }
}

/** Opens the registry for reading, never through a symlink; `undefined` when it does not exist. */
function openRegistrySync(options: StoreOptions): number | undefined {
  try {
    return openSync(options.file, READ_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(options, 'open', error);
  }
}

/** Checks and reads the registry open at `fd`. */
function readOpenRegistry(options: StoreOptions, fd: number): ReadResult {
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
  }
}

/** Closes `fd` on the thread pool; a close error on a file only read cannot lose anything. */
function closeInBackground(fd: number): void {
  closeCallback(fd, () => {});
}

/** Synchronous twin of {@link readRegistryText}, for exit paths. */
export function readRegistryTextSync(options: StoreOptions): ReadResult {
  const fd = openRegistrySync(options);
  if (fd === undefined) return undefined;
  try {
    return readOpenRegistry(options, fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `text` atomically: into a 0600 temp file beside the registry (`temp`, created before the lock
 * was taken, or a new one), then `beforeCommit` (the caller proves it still holds the lock), then
 * rename. A crash at any point leaves either the old file or the new one, never a torn one. The temp
 * file is renamed into place or removed, whatever happens. Synchronous, because it runs inside the
 * registry lock, where every event-loop turn lengthens the hold. A step of that locked transaction,
 * not a general writer: cmgr's `writeFileAtomic` (apps/cmgr/src/files.ts) says why it keeps its own.
 */
export function writeRegistryTextSync(
  options: StoreOptions,
  text: string,
  beforeCommit: () => void,
  temp?: TempFile,
): void {
  let file = temp;
  try {
    file ??= createTempFile(options.file);
    try {
      writeSync(file.fd, text);
      if (options.durable) fsyncSync(file.fd);
    } finally {
      closeSync(file.fd);
    }
    beforeCommit();
    renameRetrying(file.path, options.file);
    if (options.durable) syncDirectorySync(dirname(options.file));
  } catch (error) {
    // Gone already if the rename happened.
    if (file) unlinkQuietly(file.path);
    throw error instanceof RegistryError || (error as { name?: string }).name === 'LockError'
      ? error
      : ioError(options, 'write', error);
  } finally {
    if (file) forgetTempFile(file);
  }
}

/** Moves an unusable registry aside (never deletes it) and returns where it went. */
export function moveAsideSync(options: StoreOptions): string {
  const aside = `${options.file}.corrupt-${Date.now()}`;
  try {
    renameRetrying(options.file, aside);
  } catch (error) {
    throw ioError(options, 'move aside', error);
  }
  return aside;
}

/** Makes a rename durable. Windows cannot open a directory as a file (and its renames need no such step). */
function syncDirectorySync(directory: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(directory, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
