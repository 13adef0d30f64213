import { fstatSync, lstatSync } from 'node:fs';
import { removeIfUnchanged } from './guard.js';
import { bypassed, flush, mayBypass } from './handoff.js';
import { HolderFile } from './holder.js';
import type { ResolvedOptions } from './options.js';
import { WaitQueue, wakeHead } from './queue.js';
import { recordPid } from './record.js';
import { judge, readSnapshot, type Snapshot, sameInstance } from './snapshot.js';

/** A waiter behind a live queue head still tries when the head seems stuck (stopped, blocked). */
const HEAD_GRACE_MS = 30;
/** ...and still looks for a dead or expired holder now and then, in case the head does not. */
const INSPECT_EVERY_MS = 50;
/** How long a "the holder is alive" verdict on one lock instance is trusted before asking again. */
const VERDICT_TTL_MS = 10;
/** Restamp the holder file before linking when its mtime is older than this, so a new lock looks new. */
const STAMP_TTL_MS = 20;

/** Acquisitions in progress: a process that exits while waiting takes its ticket and holder file along. */
const inProgress = new Set<Attempt>();
let exitCloseInstalled = false;

function closeInProgressOnExit(): void {
  if (exitCloseInstalled) return;
  exitCloseInstalled = true;
  process.once('exit', () => {
    for (const attempt of [...inProgress]) attempt.close();
  });
}

/**
 * @internal One acquisition in progress: the protocol try shared by `acquire` and `acquireSync`,
 * so both follow exactly the same rules. Every try is a few non-blocking metadata syscalls on a
 * local file, done synchronously; only the waiting between steps differs.
 */
export class Attempt {
  readonly #path: string;
  readonly #options: ResolvedOptions;
  readonly #queue: WaitQueue;
  readonly #holder: HolderFile;
  #done = false;
  #absentSince: number | undefined;
  #lastInspect = 0;
  #alive:
    | { readonly identity: string; readonly ino: bigint; readonly at: number; readonly mtimeMs: number }
    | undefined;
  #head = false;
  /** The last try found nobody in line and joined it. */
  #firstInEmpty = false;
  #stampedAt = 0;
  /** Our ticket's mtime when last looked at: a releaser's wake-up ("poke") changes it. */
  #ticketMtime = -1n;
  /** The pid named by the lock file at the last look, for error messages. */
  holderPid: number | undefined;

  constructor(path: string, options: ResolvedOptions) {
    this.#path = path;
    this.#options = options;
    this.#holder = HolderFile.take(path);
    this.#queue = new WaitQueue(path, this.#holder);
    inProgress.add(this);
    closeInProgressOnExit();
  }

  /**
   * The file a releaser touches to wake us: our ticket, which is a link to our holder file (so the
   * holder file's name works before we join) or, where the file system has no links, a copy of it.
   */
  get wakePath(): string {
    return this.#queue.ticketPath ?? this.#holder.name;
  }

  /** The descriptor of our ticket (our holder file's, where the ticket is a link to it). */
  #ticketFd(): number {
    const ticket = this.#queue.ticketPath;
    return ticket === undefined ? this.#holder.fd : this.#holder.fdAt(ticket);
  }

  /**
   * Tries once; the holder file now linked at the lock path, or null to wait and try again.
   * `poked`: a releaser picked us as the first in line (see {@link Attempt.pokedSinceLastLook}), so we
   * try the lock at once, without looking at the queue again.
   */
  tryAcquire(poked = false): HolderFile | null {
    // Bounded bypass: we released this lock a moment ago and the head has barely waited.
    if (!this.#queue.joined && mayBypass(this.#path)) {
      this.#stampIfOld();
      if (this.#holder.linkTo(this.#path)) {
        bypassed(this.#path);
        return this.#won();
      }
      flush(this.#path);
    }
    if (poked && this.#queue.joined) return this.#tryTake() ? this.#won() : null;
    if (this.#head && this.#sameLiveHolder()) return null;
    const position = this.#queue.position();
    this.#head = position.kind === 'head';
    this.#firstInEmpty = position.kind === 'empty';
    if (position.kind === 'behind') {
      this.#queue.join();
      if (!this.#headSeemsStuck()) return null;
    }
    if (this.#tryTake()) return this.#won();
    this.#queue.join();
    return null;
  }

  /**
   * Whether a releaser touched ("poked") our ticket since the last call (one fstat); the first call
   * only records the ticket's mtime to compare with. Only a poke changes its mtime while we wait:
   * linking and unlinking our own names change only its ctime.
   */
  pokedSinceLastLook(): boolean {
    const { mtimeNs } = fstatSync(this.#ticketFd(), { bigint: true });
    const poked = this.#ticketMtime !== -1n && mtimeNs !== this.#ticketMtime;
    this.#ticketMtime = mtimeNs;
    return poked;
  }

  /** Whether the last try left us first in line (or alone), i.e. the one the next release wakes. */
  get first(): boolean {
    return this.#head || this.#firstInEmpty;
  }

  /** Whether a lock file exists at the path right now (one lstat). */
  lockExists(): boolean {
    return lstatSync(this.#path, { throwIfNoEntry: false }) !== undefined;
  }

  /**
   * Gives up any place in line; the holder file goes back to the pool unless it became the lock.
   * A waiter that gives up (timeout, abort) may have been woken for a free lock: it passes the
   * wake-up on, or the next in line would learn of the free lock only by polling. Runs once; also
   * when the process exits while waiting.
   */
  close(): void {
    if (!inProgress.delete(this)) return; // closed already
    const queued = this.#queue.joined;
    this.#queue.leave();
    if (this.#done) return;
    this.#holder.recycle(this.#path);
    if (queued && !this.lockExists()) wakeHead(this.#path);
  }

  #won(): HolderFile {
    this.#queue.leave();
    this.#done = true;
    return this.#holder;
  }

  /**
   * Most wake-ups of the head are about the lock it already knows is held; one lstat tells whether
   * anything changed since the holder was seen alive, without the queue scan or a link attempt.
   */
  #sameLiveHolder(): boolean {
    const alive = this.#alive;
    if (!alive) return false;
    const now = Date.now();
    if (now - alive.at >= VERDICT_TTL_MS) return false;
    const stat = lstatSync(this.#path, { bigint: true, throwIfNoEntry: false });
    return stat !== undefined && stat.ino === alive.ino && Number(stat.mtimeMs) === alive.mtimeMs;
  }

  #headSeemsStuck(): boolean {
    const now = Date.now();
    if (!this.lockExists()) {
      this.#absentSince ??= now;
      return now - this.#absentSince > HEAD_GRACE_MS;
    }
    this.#absentSince = undefined;
    if (now - this.#lastInspect < INSPECT_EVERY_MS) return false;
    this.#lastInspect = now;
    const snapshot = readSnapshot(this.#path);
    return snapshot === null || this.#verdict(snapshot, now) !== false;
  }

  /** `judge`, minus the /proc reads when the same instance was seen alive a moment ago. */
  #verdict(snapshot: Snapshot, now: number): ReturnType<typeof judge> {
    const { staleMs } = this.#options;
    const recent = this.#alive;
    if (recent && recent.identity === snapshot.identity && now - recent.at < VERDICT_TTL_MS) {
      return now - snapshot.mtimeMs > staleMs ? 'expired' : false;
    }
    const verdict = judge(snapshot, staleMs, now);
    this.#alive =
      verdict === false
        ? { identity: snapshot.identity, ino: snapshot.ino, at: now, mtimeMs: snapshot.mtimeMs }
        : undefined;
    return verdict;
  }

  #stamp(): void {
    this.#holder.stamp();
    this.#stampedAt = Date.now();
    // Our own write changed the mtime a poke is told by: take it as the new baseline.
    if (this.#ticketMtime !== -1n) this.#ticketMtime = fstatSync(this.#ticketFd(), { bigint: true }).mtimeNs;
  }

  #stampIfOld(): void {
    if (Date.now() - this.#stampedAt > STAMP_TTL_MS) this.#stamp();
  }

  #tryTake(): boolean {
    const { staleMs, onStaleLock } = this.#options;
    // A few rounds: the file may vanish between our link and our read, or we may just have broken it.
    for (let round = 0; round < 4; round++) {
      // Most tries of a waiter find the lock there: judge it without restamping our file first, whose
      // write would only wake our own watcher.
      if (round > 0 || !this.lockExists()) {
        // A fresh token and mtime: the lock must not look old the moment it appears.
        if (round > 0) this.#stamp();
        else this.#stampIfOld();
        if (this.#holder.linkTo(this.#path)) return true;
      }
      const seen = readSnapshot(this.#path);
      if (seen === null) continue;
      this.holderPid = recordPid(seen.record);
      const reason = this.#verdict(seen, Date.now());
      if (reason === false) return false;
      // Our file becomes the guard of this removal: it must name us (a file never stamped is empty,
      // and a guard of an unknown owner is judged by its age alone).
      this.#stampIfOld();
      onStaleLock?.({ path: this.#path, holderPid: this.holderPid, reason });
      const outcome = removeIfUnchanged(this.#path, this.#holder, seen.identity, staleMs, () => {
        const fresh = readSnapshot(this.#path);
        return fresh !== null && sameInstance(seen, fresh) && judge(fresh, staleMs, Date.now()) !== false;
      });
      if (outcome === 'busy') return false;
    }
    return false;
  }
}
