import { randomUUID } from 'node:crypto';
import { hostName, ownStartTime } from './process-info.js';

/** @internal What a lock (or break-guard) file says about its holder. */
export type HolderRecord =
  /** Our format: JSON whose first key is `pid`. */
  | {
      readonly kind: 'owner';
      readonly pid: number;
      readonly token: string;
      readonly startTime: number | null;
      readonly hostname: string;
    }
  /** The simple protocol: the file holds a decimal pid and nothing else. */
  | { readonly kind: 'pid'; readonly pid: number }
  /** Empty, truncated or foreign content: held by an unknown owner, stale only by age. */
  | { readonly kind: 'unknown' };

/** @internal A fresh random owner token. */
export function newToken(): string {
  // randomUUID draws from a cached entropy pool: far cheaper per call than randomBytes.
  return randomUUID().replaceAll('-', '');
}

/**
 * @internal The content written into a lock file. `pid` comes first so tools (and the design's simple
 * protocol) that read a leading pid still find it.
 */
export function formatRecord(token: string): string {
  return JSON.stringify({
    pid: process.pid,
    token,
    startTime: ownStartTime,
    hostname: hostName,
    acquiredAt: Date.now(),
  });
}

function isPid(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** @internal Reads a holder record; never throws, whatever the bytes. */
export function parseRecord(content: string): HolderRecord {
  const text = content.trim();
  if (/^\d{1,10}$/.test(text)) {
    const pid = Number(text);
    return isPid(pid) ? { kind: 'pid', pid } : { kind: 'unknown' };
  }
  if (!text.startsWith('{')) return { kind: 'unknown' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'unknown' };
  }
  if (data === null || typeof data !== 'object') return { kind: 'unknown' };
  const { pid, token, startTime, hostname } = data as Record<string, unknown>;
  if (!isPid(pid) || typeof token !== 'string' || token.length === 0 || typeof hostname !== 'string') {
    return { kind: 'unknown' };
  }
  return {
    kind: 'owner',
    pid,
    token,
    startTime: typeof startTime === 'number' && Number.isSafeInteger(startTime) ? startTime : null,
    hostname,
  };
}

/** @internal The pid a record names, if any. */
export function recordPid(record: HolderRecord): number | undefined {
  return record.kind === 'unknown' ? undefined : record.pid;
}
