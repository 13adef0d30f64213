import { headTicket, poke, ticketAgeMs } from './queue.js';

/** A releaser may re-take its lock at most this many times in a row before it must let the head go first. */
export const MAX_BYPASS = 2;

interface Deferred {
  readonly timer: NodeJS.Immediate;
  readonly ticket: string;
}

/** Wake-ups a release put off until the end of the current event-loop turn, by lock path. */
const deferred = new Map<string, Deferred>();
/** Consecutive bypasses by this process, by lock path. */
const streaks = new Map<string, number>();
let exitFlushInstalled = false;

/**
 * @internal Passes the lock at `path`, just released, to the next in line: wakes the head waiter,
 * or (bounded bypass) puts that wake-up off to the next check phase of the event loop (a
 * `setImmediate`, so after the microtasks and I/O callbacks of this turn) when the head has
 * waited less than `bypassMs` and this process has not bypassed it {@link MAX_BYPASS} times
 * in a row. A process that releases and re-acquires at once (a read-modify-write followed by
 * another) then keeps the lock without a cross-process hand-over, which costs two context switches
 * on a busy machine; if it does not re-acquire, the head is woken a few microseconds later.
 * `defer: false` (synchronous releases, which run on exit paths) wakes at once.
 */
export function handOff(path: string, defer: boolean, bypassMs: number): void {
  const head = headTicket(path);
  if (head === undefined) {
    streaks.delete(path);
    return;
  }
  if (defer && bypassMs > 0 && (streaks.get(path) ?? 0) < MAX_BYPASS && ticketAgeMs(head) < bypassMs) {
    flush(path);
    const timer = setImmediate(() => flush(path));
    deferred.set(path, { timer, ticket: head });
    installExitFlush();
    return;
  }
  streaks.delete(path);
  poke(path, head, defer);
}

/** @internal Whether this process released `path` this very turn and may try to re-take it first. */
export function mayBypass(path: string): boolean {
  return deferred.has(path);
}

/** @internal The re-take succeeded: the head keeps waiting, to be woken by our next release. */
export function bypassed(path: string): void {
  const pending = deferred.get(path);
  if (!pending) return;
  clearImmediate(pending.timer);
  deferred.delete(path);
  streaks.set(path, (streaks.get(path) ?? 0) + 1);
}

/**
 * @internal Sends a put-off wake-up now (the re-take failed, or the process is exiting), on the
 * thread pool unless `sync`.
 */
export function flush(path: string, sync = false): void {
  const pending = deferred.get(path);
  if (!pending) return;
  clearImmediate(pending.timer);
  deferred.delete(path);
  streaks.delete(path);
  poke(path, pending.ticket, !sync, true);
}

/** `process.exit()` skips pending immediates: wake-ups must not be lost with them. */
function installExitFlush(): void {
  if (exitFlushInstalled) return;
  exitFlushInstalled = true;
  process.once('exit', () => {
    for (const path of [...deferred.keys()]) flush(path, true);
  });
}
