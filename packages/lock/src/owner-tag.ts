import { ownStartTime } from './process-info.js';
import { newToken } from './record.js';

/** @internal The process a sidecar name belongs to. */
export interface TaggedOwner {
  readonly pid: number;
  readonly startTime: number | null;
}

/**
 * @internal `<pid>-<start time>-<random>`: the part of a holder file's or ticket's name that says
 * which process made it, so anyone can tell a dead process's leftovers without opening them.
 * `x` stands for an unknown start time (no /proc).
 */
export function ownerTag(): string {
  return `${process.pid}-${ownStartTime ?? 'x'}-${newToken().slice(0, 8)}`;
}

/** @internal Reads back the owner from a tag at the start of `text`; null when it is not one. */
export function parseOwnerTag(text: string): TaggedOwner | null {
  const [pidText, startText] = text.split('-');
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  const startTime = startText === undefined || startText === 'x' ? null : Number(startText);
  return { pid, startTime: Number.isSafeInteger(startTime) ? startTime : null };
}
