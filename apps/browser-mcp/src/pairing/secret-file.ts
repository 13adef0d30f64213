import { randomBytes } from 'node:crypto';
import { closeSync, constants, promises as fs, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { BrowserMcpError } from '../errors.js';

/** Bytes of the secret (256 bits from the CSPRNG); the pairing key is derived from it. */
const SECRET_BYTES = 32;

/** The file's format version; a file of another version is refused, not rewritten. */
const FILE_VERSION = 1;

/** A secret file is a few dozen bytes: anything larger is not ours. */
const MAX_FILE_BYTES = 4_096;

/** What `pair --reset` and the server tell a user whose secret file cannot be used. */
const REMEDY =
  'fix or remove it, or run `browser-mcp pair --reset` (every paired browser must then pair again)';

/** The secret of this OS user, as read from (or first written to) its file. */
export interface PairingSecret {
  readonly file: string;
  readonly secret: Uint8Array;
  /** True when this call created the file. */
  readonly created: boolean;
}

/**
 * Reads the pairing secret from `file`, creating it (atomically, mode 0600, in a 0700 folder) when
 * there is none. Many servers started at once create one secret between them: the file is
 * published with `link()`, which never replaces, and every loser reads the winner's.
 *
 * @throws {BrowserMcpError} `EPAIRINGFILE` naming the file when it is a symlink, not a regular
 * file, another user's, readable by others, unreadable or corrupt. It is never replaced silently:
 * a new secret unpairs every browser.
 */
export async function loadOrCreateSecret(file: string): Promise<PairingSecret> {
  const existing = await readSecret(file);
  if (existing) return { file, secret: existing, created: false };
  await fs.mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = await writeTemp(file, createSecretText());
  try {
    await fs.link(temp, file);
    const secret = await readSecret(file);
    if (!secret) throw fileError(file, 'vanished right after it was created');
    return { file, secret, created: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      // Another server created it first (or a symlink sits there): use theirs, or refuse the link.
      const secret = await readSecret(file);
      if (!secret) throw fileError(file, 'vanished while it was being read');
      return { file, secret, created: false };
    }
    if (error instanceof BrowserMcpError) throw error;
    // link() is what makes the first secret the only one; a folder that takes no hard links
    // (some network and FUSE file systems) cannot hold it safely.
    throw fileError(
      file,
      `cannot be created in its folder (${code ?? (error as Error).message}; hard links are needed): set BROWSER_MCP_PAIRING_FILE to a file on a local disk`,
    );
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/**
 * Replaces the secret in `file` with a new one (temp + rename: a reader sees the old file or the
 * new one, never a half-written one; a symlink at `file` is replaced, never written through).
 */
export async function resetSecret(file: string): Promise<PairingSecret> {
  await fs.mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = await writeTemp(file, createSecretText());
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw fileError(file, `could not be replaced (${(error as Error).message})`);
  }
  const secret = await readSecret(file);
  if (!secret) throw fileError(file, 'vanished right after it was written');
  return { file, secret, created: true };
}

/** The secret in `file`, or `undefined` when there is no file; throws for anything unusable. */
export async function readSecret(file: string): Promise<Uint8Array | undefined> {
  // A few small-file syscalls: the synchronous reader is the one implementation.
  return readSecretSync(file);
}

/**
 * {@link readSecret} without a trip through the thread pool: a server checks the file on every
 * handshake.
 */
export function readSecretSync(file: string): Uint8Array | undefined {
  let fd: number;
  try {
    // O_NOFOLLOW: a symlink planted at the path is refused, not followed to someone else's file.
    // O_NONBLOCK: a FIFO planted there is refused below instead of hanging the open.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK')
      throw fileError(file, 'is a symlink; it must be a regular file');
    throw fileError(file, `cannot be read (${code ?? (error as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw fileError(file, 'is not a regular file');
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) {
      throw fileError(
        file,
        `belongs to user ${stat.uid}, not to you (${uid}); a secret of another user is never used`,
      );
    }
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw fileError(
        file,
        `can be read by other users (mode ${(stat.mode & 0o777).toString(8)}); run \`chmod 600 ${file}\``,
      );
    }
    if (process.platform !== 'win32') {
      // In a folder anyone may write to (and not sticky, as /tmp is), another user could swap it.
      const folder = statSync(dirname(file));
      if ((folder.mode & 0o002) !== 0 && (folder.mode & 0o1000) === 0) {
        throw fileError(
          file,
          `is in ${dirname(file)}, a folder every user may write to; keep it in a folder of your own`,
        );
      }
    }
    if (stat.size > MAX_FILE_BYTES)
      throw fileError(file, `is ${stat.size} bytes, too large to be a secret file`);
    return parseSecret(file, readFileSync(fd, 'utf8'));
  } finally {
    closeSync(fd);
  }
}

function parseSecret(file: string, text: string): Uint8Array {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw fileError(file, text.trim() === '' ? 'is empty' : 'is not JSON');
  }
  const { version, secret } = (typeof data === 'object' && data !== null ? data : {}) as Record<
    string,
    unknown
  >;
  if (version !== FILE_VERSION)
    throw fileError(file, `has version ${JSON.stringify(version)}, not ${FILE_VERSION}`);
  if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]+$/.test(secret)) {
    throw fileError(file, 'has no "secret" string');
  }
  const bytes = Buffer.from(secret, 'base64url');
  if (bytes.length < 16)
    throw fileError(file, `holds a secret of ${bytes.length * 8} bits; at least 128 are needed`);
  return new Uint8Array(bytes);
}

function createSecretText(): string {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return `${JSON.stringify({ version: FILE_VERSION, secret, createdAt: new Date().toISOString() }, null, 2)}\n`;
}

/** Writes `text` to a new temp file beside `file` (O_EXCL, 0600, synced) and returns its path. */
async function writeTemp(file: string, text: string): Promise<string> {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  return temp;
}

function fileError(file: string, problem: string): BrowserMcpError {
  return new BrowserMcpError('EPAIRINGFILE', `The pairing secret file ${file} ${problem}: ${REMEDY}.`);
}
