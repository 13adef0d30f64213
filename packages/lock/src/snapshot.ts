import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { LockError } from './errors.js';
import { holderGone, hostName, isAlive } from './process-info.js';
import { type HolderRecord, parseRecord } from './record.js';

/** @internal One reading of a lock (or guard) file: who it names, which inode, and its age. */
export interface Snapshot {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly mtimeMs: number;
  readonly content: string;
  readonly record: HolderRecord;
  /**
   * Names this lock instance, for the per-instance break guard: the owner token for our files, else a
   * digest of inode, mtime and content, so a guard name never outlives the instance it protects.
   */
  readonly identity: string;
}

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const MAX_READ = 4096;

function identityOf(
  record: HolderRecord,
  dev: bigint,
  ino: bigint,
  mtimeNs: bigint,
  content: string,
): string {
  if (record.kind === 'owner' && /^[0-9a-f]{32}$/.test(record.token)) return record.token;
  return createHash('sha256').update(`${dev}:${ino}:${mtimeNs}:${content}`).digest('hex').slice(0, 32);
}

/**
 * @internal Reads the file at `path` without following a symlink; null when there is none. A symlink
 * (or other non-regular entry) is reported with empty content: held by an unknown owner.
 */
export function readSnapshot(path: string): Snapshot | null {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code !== 'ELOOP' && code !== 'ENXIO') throw error;
    const stat = lstatSync(path, { bigint: true, throwIfNoEntry: false });
    if (!stat) return null;
    return {
      dev: stat.dev,
      ino: stat.ino,
      mtimeMs: Number(stat.mtimeMs),
      content: '',
      record: { kind: 'unknown' },
      identity: identityOf({ kind: 'unknown' }, stat.dev, stat.ino, stat.mtimeNs, ''),
    };
  }
  try {
    const stat = fstatSync(fd, { bigint: true });
    if (stat.isDirectory()) {
      throw new LockError('ELOCKDIR', `lock path ${path} is a directory; give a file path for the lock`, {
        path,
      });
    }
    let content = '';
    if (stat.isFile()) {
      const buffer = Buffer.alloc(MAX_READ);
      const length = readSync(fd, buffer, 0, MAX_READ, 0);
      content = buffer.toString('utf8', 0, length);
    }
    const record = parseRecord(content);
    return {
      dev: stat.dev,
      ino: stat.ino,
      mtimeMs: Number(stat.mtimeMs),
      content,
      record,
      identity: identityOf(record, stat.dev, stat.ino, stat.mtimeNs, content),
    };
  } finally {
    closeSync(fd);
  }
}

/** @internal Why a lock is stale, or false when it must be left alone. */
export type StaleVerdict = 'dead-holder' | 'pid-reused' | 'expired' | false;

/**
 * @internal A holder on this host that is provably gone makes the lock stale at once; otherwise only
 * age does. A bare pid (the simple protocol) is taken to be on this host: that protocol is host-local.
 */
export function judge(snapshot: Snapshot, staleMs: number, now: number): StaleVerdict {
  const { record } = snapshot;
  if (record.kind === 'owner' && record.hostname === hostName) {
    const gone = holderGone(record.pid, record.startTime);
    if (gone) return gone;
  } else if (record.kind === 'pid' && !isAlive(record.pid)) {
    return 'dead-holder';
  }
  return now - snapshot.mtimeMs > staleMs ? 'expired' : false;
}

/** @internal Whether two readings are the same lock instance (same inode and same content identity). */
export function sameInstance(a: Snapshot, b: Snapshot): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.identity === b.identity;
}
