import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  ftruncateSync,
  linkSync,
  openSync,
  readSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { LockError } from './errors.js';
import { ownerTag, parseOwnerTag, type TaggedOwner } from './owner-tag.js';
import { formatRecord, newToken } from './record.js';
import { ensureSidecar, sidecarPath } from './sidecar.js';

const DIR_ERRORS = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENAMETOOLONG', 'ELOOP']);
const CREATE_FLAGS = constants.O_CREAT | constants.O_EXCL | constants.O_RDWR | constants.O_NOFOLLOW;
/**
 * Errors of `link(2)` that mean "this file system has no hard links" (FAT, exFAT, some network file
 * systems): the lock then creates its files with O_CREAT|O_EXCL instead (see {@link HolderFile.linkTo}).
 */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);
/** Errors of `link(2)` that no fallback can help with. */
const LINK_FAILS = new Set(['EXDEV', 'EMLINK']);

/**
 * Lock paths whose file system refused a hard link: their holder files create copies from then on.
 * `PORTS_LOCK_NO_HARDLINKS=1` starts every lock path there, for tests of the fallback on a file system
 * that has links (also in child processes).
 */
const copyMode = new Set<string>();
let copyEverywhere = process.env.PORTS_LOCK_NO_HARDLINKS === '1';

/** @internal For tests: behave as if no file system had hard links (`true`), or detect it again. */
export function forceCopyFallback(on: boolean): void {
  copyEverywhere = on;
  if (!on) copyMode.clear();
}

/** A file created by {@link HolderFile.linkTo} where hard links do not work: ours, open until forgotten. */
interface Copy {
  readonly fd: number;
  readonly dev: bigint;
  readonly ino: bigint;
}
/** A released holder file is kept this long for the next acquisition, then removed. */
const POOL_LINGER_MS = 2000;

/** @internal Turns "cannot create a file there" into an error that says so, instead of waiting for a timeout. */
export function directoryError(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined || !DIR_ERRORS.has(code)) return error;
  const dir = dirname(path);
  const [reason, remedy] = directoryProblem(code, dir);
  return new LockError(
    'ELOCKDIR',
    `cannot create lock file ${path}: ${reason} (${code}); ${remedy} or choose another path`,
    { path, cause: error },
  );
}

/** What a create error in `dir` means, and what to do about it. */
function directoryProblem(code: string, dir: string): readonly [string, string] {
  switch (code) {
    case 'ENOENT':
      // A directory that exists but where nothing can be created (such as /proc) also says ENOENT.
      return existsSync(dir)
        ? [`nothing can be created in ${dir}`, 'use a directory on a regular file system']
        : ['its directory does not exist', `create ${dir}`];
    case 'ENOTDIR':
      return ['a part of its directory path is a file, not a directory', `fix ${dir}`];
    case 'ENAMETOOLONG':
      return ['its name is too long (the lock also needs "<name>.d" beside it)', 'shorten the name'];
    case 'ELOOP':
      return ['its directory path loops through symlinks', `fix ${dir}`];
    default:
      return ['its directory is not writable', `make ${dir} writable`];
  }
}

/**
 * @internal A private file, `<lock>.d/h-<pid>-<start time>-<random>`, that holds our record and gets
 * hard-linked to the lock path to take the lock.
 *
 * `link()` fails with EEXIST when the path exists, exactly like an O_EXCL create, never follows a
 * symlink, and the file appears complete (pid first). But it allocates no inode: on ext4 with a few
 * processes contending, creating and deleting an inode costs ~300 µs of CPU (~600 µs wall), while
 * linking and unlinking one costs ~10 µs. So a holder file is pooled per lock path and reused, and
 * the queue tickets and break guards are hard links to it as well: a steady stream of lock cycles
 * creates no files at all.
 */
export class HolderFile {
  readonly name: string;
  readonly fd: number;
  readonly dev: bigint;
  readonly ino: bigint;
  /** The token of the current acquisition (a fresh one per {@link HolderFile.stamp}). */
  token = '';
  #length = -1;
  #content: Buffer = Buffer.alloc(0);
  readonly #lockPath: string;
  /** Where links are not possible: the files we created in their place, by path. */
  readonly #copies = new Map<string, Copy>();

  private constructor(name: string, fd: number, lockPath: string) {
    this.name = name;
    this.fd = fd;
    this.#lockPath = lockPath;
    const stat = fstatSync(fd, { bigint: true });
    this.dev = stat.dev;
    this.ino = stat.ino;
  }

  /** A holder file for `lockPath`: a pooled one, or a new one. */
  static take(lockPath: string): HolderFile {
    const pooled = pool.get(lockPath)?.pop();
    if (pooled) return pooled;
    const base = `h-${ownerTag()}`;
    let name = '';
    let fd = -1;
    // Twice: a process exiting may remove the (then empty) sidecar between our check and our create.
    for (let round = 0; fd === -1; round++) {
      try {
        name = `${ensureSidecar(lockPath, true)}/${base}`;
        fd = openSync(name, CREATE_FLAGS, 0o600);
      } catch (error) {
        if (round === 0 && (error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw directoryError(lockPath, error);
      }
    }
    const holder = new HolderFile(name, fd, lockPath);
    installExitCleanup();
    return holder;
  }

  /** Writes a fresh record (new token, fresh mtime) while nothing links to this file yet. */
  stamp(): void {
    this.token = newToken();
    const content = Buffer.from(formatRecord(this.token));
    writeSync(this.fd, content, 0, content.length, 0);
    if (content.length !== this.#length) ftruncateSync(this.fd, content.length);
    this.#length = content.length;
    this.#content = content;
  }

  /** Whether the file we put at `target` (the lock path) still carries our current token. */
  hasOurToken(target: string): boolean {
    const expected = Buffer.from(this.token);
    const buffer = Buffer.alloc(this.#length + 1);
    const length = readSync(this.fdAt(target), buffer, 0, buffer.length, 0);
    return length === this.#length && buffer.subarray(0, length).includes(expected);
  }

  /**
   * Puts our record at `target`; false when something already exists there. By `link(2)` of this
   * file where the file system has hard links. Where it has none (EPERM, ENOTSUP, ENOSYS: FAT, some
   * network file systems) by the plain O_CREAT|O_EXCL create of a file with the same content: just
   * as exclusive, but it allocates an inode each time and is empty for a moment after its creation
   * (readers then see an unknown owner whose fresh file they leave alone).
   */
  linkTo(target: string): boolean {
    if (copyEverywhere || copyMode.has(this.#lockPath)) return this.#copyTo(target);
    try {
      linkSync(this.name, target);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== undefined && NO_LINKS.has(code)) {
        copyMode.add(this.#lockPath);
        return this.#copyTo(target);
      }
      if (code !== undefined && LINK_FAILS.has(code)) {
        throw directoryError(target, Object.assign(error as Error, { code: 'EACCES' }));
      }
      throw directoryError(target, error);
    }
  }

  #copyTo(target: string): boolean {
    let fd: number;
    try {
      fd = openSync(target, CREATE_FLAGS, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw directoryError(target, error);
    }
    try {
      writeSync(fd, this.#content, 0, this.#content.length, 0);
      const { dev, ino } = fstatSync(fd, { bigint: true });
      this.#copies.set(target, { fd, dev, ino });
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return true;
  }

  /** The file descriptor of what we put at `target`: this file, or its copy there. */
  fdAt(target: string): number {
    return this.#copies.get(target)?.fd ?? this.fd;
  }

  /** Whether `stat` is of what we put at `target` (this file, or its copy there). */
  isOursAt(target: string, stat: { readonly dev: bigint; readonly ino: bigint }): boolean {
    const copy = this.#copies.get(target);
    const dev = copy?.dev ?? this.dev;
    const ino = copy?.ino ?? this.ino;
    return stat.ino === ino && stat.dev === dev;
  }

  /** Closes the copy at `target`, if we made one: its name was removed (or is someone else's now). */
  forget(target: string): void {
    const copy = this.#copies.get(target);
    if (!copy) return;
    this.#copies.delete(target);
    closeSync(copy.fd);
  }

  /** Back to the pool for the next acquisition of `lockPath` (only when nothing else links to it). */
  recycle(lockPath: string): void {
    // Past our exit cleanup nothing would remove a pooled file: an exit handler's lock leaves none.
    if (exiting) {
      this.discard();
      return;
    }
    let list = pool.get(lockPath);
    if (!list) {
      list = [];
      pool.set(lockPath, list);
    }
    list.push(this);
    scheduleDrain();
  }

  /** Removes and closes it for good: used when it may still be linked as someone's lock. */
  discard(): void {
    try {
      unlinkSync(this.name);
    } catch {
      // Already gone.
    }
    for (const target of [...this.#copies.keys()]) this.forget(target);
    closeSync(this.fd);
  }
}

const pool = new Map<string, HolderFile[]>();
let drainTimer: NodeJS.Timeout | undefined;
let exitCleanupInstalled = false;
let exiting = false;

function scheduleDrain(): void {
  clearTimeout(drainTimer);
  drainTimer = setTimeout(drainPool, POOL_LINGER_MS);
  drainTimer.unref();
}

function drainPool(): void {
  for (const [lockPath, list] of pool) {
    for (const holder of list.splice(0)) holder.discard();
    try {
      // Only an empty sidecar goes: anyone still using it has a holder file in it.
      rmdirSync(sidecarPath(lockPath));
    } catch {
      // Others are still there, or it is gone already.
    }
  }
  pool.clear();
}

/**
 * Holder files are ours alone, so we remove the idle ones on the way out. One that is held (or
 * waiting) keeps its name: an `exit` handler registered after ours may still release that lock,
 * or take a new one (`acquireSync`), and both link the holder file by name. Files left by a process
 * that exits holding a lock are swept by the next process that looks, as after a crash.
 */
function installExitCleanup(): void {
  if (exitCleanupInstalled) return;
  exitCleanupInstalled = true;
  process.once('exit', () => {
    exiting = true;
    drainPool();
  });
}

/** @internal Whether a sidecar entry is a holder file, and whose. */
export function holderFileOwner(name: string): TaggedOwner | null {
  return name.startsWith('h-') ? parseOwnerTag(name.slice(2)) : null;
}
