import { lutimes, lutimesSync, readdirSync } from 'node:fs';
import { unlinkQuietly } from './guard.js';
import { type HolderFile, holderFileOwner } from './holder.js';
import { ownerTag, parseOwnerTag } from './owner-tag.js';
import { holderGone, pidExists } from './process-info.js';
import { sidecarPath } from './sidecar.js';

/** How often a process looks for holder files left by killed processes. */
const SWEEP_EVERY_MS = 1000;
const lastSweep = new Map<string, number>();
/** Prefix of queue tickets in the sidecar directory. */
const TICKET = 'q-';

/**
 * @internal Where a waiter stands: nobody queued, first in line, or behind someone alive.
 */
export type QueuePosition = { readonly kind: 'empty' | 'head' | 'behind' };

/**
 * @internal A first-come, first-served line of waiters, kept as names
 * `<lock>.d/q-<monotonic ns>-<pid>-<start time>-<random>` in the lock's sidecar directory (hard links to the waiter's
 * holder file, so joining allocates nothing). It only decides who tries
 * first: mutual exclusion never depends on it (the O_EXCL create does), so a wrong guess costs a
 * retry, never safety. Without it a process that releases and re-acquires at once wins nearly every
 * time, and waiters starve. Tickets of dead processes are removed by whoever finds them; names carry
 * a random part, so removing one twice is harmless.
 */
export class WaitQueue {
  readonly #dir: string;
  readonly #holder: HolderFile;
  #ticket: string | null = null;

  constructor(path: string, holder: HolderFile) {
    this.#dir = sidecarPath(path);
    this.#holder = holder;
  }

  /** Whether this waiter holds a ticket. */
  get joined(): boolean {
    return this.#ticket !== null;
  }

  /** Takes a ticket at the back of the line (once). */
  join(): void {
    if (this.#ticket !== null) return;
    const stamp = process.hrtime.bigint().toString().padStart(20, '0');
    const name = `${TICKET}${stamp}-${ownerTag()}`;
    this.#holder.linkTo(`${this.#dir}/${name}`);
    this.#ticket = name;
  }

  /** The ticket's path while joined: the file a releaser touches to wake us. */
  get ticketPath(): string | undefined {
    return this.#ticket === null ? undefined : `${this.#dir}/${this.#ticket}`;
  }

  /** Gives the ticket back; safe to call at any time. */
  leave(): void {
    if (this.#ticket === null) return;
    const path = `${this.#dir}/${this.#ticket}`;
    // Already gone if someone took us for dead: nothing left to do.
    unlinkQuietly(path);
    this.#holder.forget(path);
    this.#ticket = null;
  }

  /**
   * Where this waiter stands now. Like the classic queue lock recipe, each waiter looks only at the
   * live ticket right before its own, removing those whose process is gone that it finds on the way.
   */
  position(): QueuePosition {
    const entries = readdirSync(this.#dir);
    const swept = this.#sweep(entries);
    const tickets = entries.filter((name) => name.startsWith(TICKET) && !swept.has(name)).sort();
    const mine = this.#ticket === null ? tickets.length : tickets.indexOf(this.#ticket);
    for (let i = (mine === -1 ? tickets.length : mine) - 1; i >= 0; i--) {
      const name = tickets[i] as string;
      // Only whether its pid exists (one syscall): a ticket whose pid was reused is removed by the
      // sweep, and a head that seems stuck is passed anyway (Attempt), so a wrong answer costs a wait.
      if (ticketAlive(name, true)) return { kind: 'behind' };
      unlinkQuietly(`${this.#dir}/${name}`);
    }
    return { kind: this.#ticket === null ? 'empty' : 'head' };
  }

  /**
   * Removes holder files and tickets of killed processes (their lock, if any, is recovered the normal
   * way), with the full check: a pid that exists but was reused counts as gone here. Returns the names
   * it removed.
   */
  #sweep(entries: readonly string[]): ReadonlySet<string> {
    const swept = new Set<string>();
    const now = Date.now();
    if (now - (lastSweep.get(this.#dir) ?? 0) < SWEEP_EVERY_MS) return swept;
    lastSweep.set(this.#dir, now);
    for (const name of entries) {
      if (!ofGoneProcess(name)) continue;
      unlinkQuietly(`${this.#dir}/${name}`);
      swept.add(name);
    }
    return swept;
  }
}

/** Whether sidecar entry `name` is a ticket or holder file of a process that is gone (pid reuse included). */
function ofGoneProcess(name: string): boolean {
  if (name.startsWith(TICKET)) return !ticketAlive(name);
  const owner = holderFileOwner(name);
  return owner !== null && holderGone(owner.pid, owner.startTime) !== false;
}

/**
 * Whether the process named by ticket `name` may still be running. `quick` asks
 * only whether the pid exists (one syscall), not whether it was reused (a /proc read): enough to
 * choose whom to wake, where a wrong answer costs a poll, not a place in line.
 */
function ticketAlive(name: string, quick = false): boolean {
  const rest = name.slice(TICKET.length);
  const afterStamp = rest.indexOf('-');
  const owner = afterStamp === -1 ? null : parseOwnerTag(rest.slice(afterStamp + 1));
  if (!owner) return false;
  if (quick) return pidExists(owner.pid);
  return !holderGone(owner.pid, owner.startTime);
}

/** @internal The first live waiter's ticket in line for the lock at `path`, if anyone waits. */
export function headTicket(path: string): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(sidecarPath(path));
  } catch {
    return undefined;
  }
  const tickets = entries.filter((name) => name.startsWith(TICKET)).sort();
  return tickets.find((name) => ticketAlive(name, true));
}

/** @internal How long the waiter holding `ticket` has been in line, in ms (tickets carry their monotonic join time). */
export function ticketAgeMs(ticket: string): number {
  const stamp = ticket.slice(TICKET.length).split('-')[0] ?? '';
  if (!/^\d+$/.test(stamp)) return Number.POSITIVE_INFINITY;
  return Number(process.hrtime.bigint() - BigInt(stamp)) / 1e6;
}

/**
 * The time a poke writes, in seconds: the wall clock's millisecond plus the monotonic
 * clock's position within it (to the microsecond). A waiter tells a poke by its ticket's mtime
 * changing, so two pokes within one millisecond (one releaser's put-off wake-up, then the next
 * releaser's, with the lock re-taken by a newcomer in between) must not write the same value:
 * with `Date.now()` alone the second one looked like no poke, and its waiter slept until its
 * next poll (up to ~37 ms). Stays within 1 ms of the wall clock, so a ticket that becomes the
 * lock file never looks older than it is.
 */
function pokeTime(): number {
  const withinMs = Number((process.hrtime.bigint() / 1000n) % 1000n); // whole microseconds, 0 to 999
  // Counted in microseconds, plus half of one: libuv cuts a time down to the microsecond, and a
  // double near 1.8e9 s is only good to ~0.24 µs, so the exact value would often be stored 1 µs low
  // and then equal its neighbour.
  return (Date.now() * 1000 + withinMs + 0.5) / 1_000_000;
}

/**
 * @internal Wakes the waiter holding `ticket` by touching it (see {@link wakeHead}). A ticket that is
 * gone is fine: its waiter took the lock (and wakes the next one when it releases) or gave up (and
 * passes the wake-up on, see Attempt.close).
 *
 * `background`: touch it on libuv's thread pool. On ext4 a timestamp change costs ~0.1 ms of journal
 * work; a releaser that goes on at once (often to take the lock again later) should not wait for it.
 * The waiter is woken as soon as it lands either way.
 *
 * `orNext`: if that ticket is gone, wake whoever is first now instead (for a wake-up that was put
 * off, whose waiter may have given up meanwhile).
 */
export function poke(path: string, ticket: string, background = false, orNext = false): void {
  const target = `${sidecarPath(path)}/${ticket}`;
  const now = pokeTime();
  if (!background) {
    try {
      // lutimes never follows a symlink planted under a ticket's name.
      lutimesSync(target, now, now);
    } catch {
      if (orNext) wakeHead(path);
    }
    return;
  }
  // Not lost when the process then exits through process.exit() or an uncaught error: libuv runs the
  // pool's queued work before it shuts down (not after abort() or a fatal signal: the waiter then polls).
  lutimes(target, now, now, (error) => {
    if (error && orNext) wakeHead(path);
  });
}

/**
 * @internal Wakes the first live waiter in line for the lock at `path`, after a release (or after a
 * woken head gave up). Each async waiter watches its own ticket, so touching that one ticket wakes
 * that one process. Waiters join before their last try and watch before they sleep, so a waiter
 * this look misses is one that will still find the lock free by itself. A wrong or lost wake-up
 * costs latency only: waiters also poll, and mutual exclusion never depends on the queue.
 */
export function wakeHead(path: string): void {
  const head = headTicket(path);
  if (head !== undefined) poke(path, head);
}
