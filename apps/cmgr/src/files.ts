import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { CmgrError } from './errors.js';

/**
 * Writes `text` to `path` so a reader (or a reboot) sees either the old file or the new one, never a
 * mix: a temp file beside it (created exclusively, so never through a symlink), fsync, rename over the
 * target (which replaces a symlink rather than following it), fsync of the directory. Mode 0600.
 *
 * Why cmgr keeps its own writer beside `@ports/registry`'s (`writeRegistryTextSync` in its `store.ts`):
 * that one is a step of the registry's locked transaction, not a general writer. It is synchronous
 * (every await would lengthen the lock's hold), takes a temp file created before the lock whose name
 * carries pid, start time and pid namespace so others can sweep it after a crash, renames only after a
 * `beforeCommit` that proves the lock is still held, fsyncs only when `durable`, retries Windows
 * renames, and words its errors as `RegistryError`s about the registry file. Sharing it would publish
 * those internals and give cmgr a dependency on a package it does not otherwise use, for the twenty lines
 * here, which always fsync and have no lock to respect.
 */
export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const handle = await open(temp, flags, 0o600);
  try {
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads a file without following a symlink; `undefined` when it does not exist. */
export async function readFileNoFollow(path: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw symlinkError(path);
    throw error;
  }
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function symlinkError(path: string): CmgrError {
  return new CmgrError(
    'ESYMLINK',
    `${path} is a symbolic link; cmgr never writes through one: replace it with a real file or directory`,
  );
}

/**
 * Makes `path` a real directory (mode 0700 where created), and every directory between `root` and it,
 * refusing a symlink or a file anywhere on that way down, so nothing cmgr writes below `path` lands
 * elsewhere. Each level is created and checked before the next one is made inside it. Above `root`
 * (default: `path` itself) directories are the user's to choose: they are only created when missing.
 */
export async function ensureRealDir(path: string, root: string = path): Promise<void> {
  const below = relative(root, path);
  if (below === '..' || below.startsWith(`..${sep}`) || isAbsolute(below))
    throw new Error(`${path} is not inside ${root}`);
  await makeDirectories(root);
  await checkRealDir(root);
  let dir = root;
  for (const part of below === '' ? [] : below.split(sep)) {
    dir = join(dir, part);
    await makeDirectory(dir);
    await checkRealDir(dir);
  }
}

async function checkRealDir(path: string): Promise<void> {
  const stats = await lstat(path);
  if (stats.isSymbolicLink()) throw symlinkError(path);
  if (!stats.isDirectory()) {
    throw new CmgrError('EFAILED', `${path} exists but is not a directory; move it aside`);
  }
}

/** `mkdir` (mode 0700) that accepts an existing entry; the caller checks what it is. */
async function makeDirectory(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * `mkdir -p`, mode 0700 for what it creates. Node's own recursive mkdir never returns on a path that
 * cannot be created although its parent exists (`/proc/x`); this one tries each level once.
 */
export async function makeDirectories(path: string): Promise<void> {
  try {
    await makeDirectory(path);
  } catch (error) {
    const parent = dirname(path);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === path) throw error;
    await makeDirectories(parent);
    await makeDirectory(path);
  }
}

/** `lstat` that returns `undefined` for a missing path. */
export async function lstatOrUndefined(path: string): Promise<Awaited<ReturnType<typeof lstat>> | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Reads a config the user owns, which may be a symlink into their dotfiles (it is only read);
 * `undefined` when there is none.
 */
export async function readUserConfig(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new CmgrError('ECONFIG', `cannot read ${file} (${code}); fix its permissions or move it aside`, {
      cause: error,
    });
  }
}
