import { closeSync, constants, openSync, readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { directoryError } from './create.js';
import { holderGone, ownStartTime } from './process-info.js';
import { newToken } from './record.js';

const TICKET_FLAGS = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;

/** @internal Where a waiter stands: nobody queued, first in line, or behind someone alive. */
export type QueuePosition = 'empty' | 'head' | 'behind';

/**
 * @internal A first-come, first-served line of waiters, kept as empty files
 * `<lock>.q-<monotonic ns>-<pid>-<start time>-<random>` beside the lock. It only decides who tries
 * first: mutual exclusion never depends on it (the O_EXCL create does), so a wrong guess costs a
 * retry, never safety. Without it a process that releases and re-acquires at once wins nearly every
 * time, and waiters starve. Tickets of dead processes are removed by whoever finds them; names carry
 * a random part, so removing one twice is harmless.
 */
export class WaitQueue {
  readonly #dir: string;
  readonly #prefix: string;
  #ticket: string | null = null;

  constructor(path: string) {
    this.#dir = dirname(path);
    this.#prefix = `${basename(path)}.q-`;
  }

  /** Whether this waiter holds a ticket. */
  get joined(): boolean {
    return this.#ticket !== null;
  }

  /** Takes a ticket at the back of the line (once). */
  join(): void {
    if (this.#ticket !== null) return;
    const stamp = process.hrtime.bigint().toString().padStart(20, '0');
    const name = `${this.#prefix}${stamp}-${process.pid}-${ownStartTime ?? 'x'}-${newToken().slice(0, 8)}`;
    try {
      closeSync(openSync(`${this.#dir}/${name}`, TICKET_FLAGS, 0o600));
    } catch (error) {
      throw directoryError(`${this.#dir}/${name}`, error);
    }
    this.#ticket = name;
  }

  /** Gives the ticket back; safe to call at any time. */
  leave(): void {
    if (this.#ticket === null) return;
    try {
      unlinkSync(`${this.#dir}/${this.#ticket}`);
    } catch {
      // Removed by someone who thought we were dead: nothing left to do.
    }
    this.#ticket = null;
  }

  /** Where this waiter stands now, clearing tickets of dead waiters ahead of it. */
  position(): QueuePosition {
    const tickets = readdirSync(this.#dir)
      .filter((name) => name.startsWith(this.#prefix))
      .sort();
    for (const name of tickets) {
      if (name === this.#ticket) return 'head';
      if (this.#alive(name)) return 'behind';
      try {
        unlinkSync(`${this.#dir}/${name}`);
      } catch {
        // Someone else cleared it first.
      }
    }
    return this.#ticket === null ? 'empty' : 'head';
  }

  #alive(name: string): boolean {
    const [, pidText, startText] = name.slice(this.#prefix.length).split('-');
    const pid = Number(pidText);
    if (!Number.isSafeInteger(pid) || pid <= 0) return false;
    const startTime = startText === undefined || startText === 'x' ? null : Number(startText);
    return !holderGone(pid, Number.isSafeInteger(startTime) ? startTime : null);
  }
}
