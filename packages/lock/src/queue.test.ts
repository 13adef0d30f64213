import { lstatSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { createTempDir, needsProc, procMounted } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { acquire } from './acquire.js';
import { MAX_BYPASS } from './handoff.js';
import { ownStartTime } from './process-info.js';
import { poke, wakeHead } from './queue.js';

/** A pid no process has: above any pid_max Linux allows. */
const DEAD_PID = 999_999_999;
const OLD = 1_000_000;

describe('wakeHead', () => {
  it('touches the first ticket of a live process, and no other', async () => {
    await using dir = await createTempDir();
    const lock = dir.join('a.lock');
    mkdirSync(dir.join('a.lock.d'));
    mkdirSync(dir.join('b.lock.d'));
    const ticket = (stamp: number, pid: number) =>
      dir.join(`a.lock.d/q-${String(stamp).padStart(20, '0')}-${pid}-${ownStartTime ?? 'x'}-abcd1234`);
    const dead = ticket(1, DEAD_PID);
    const first = ticket(2, process.pid);
    const second = ticket(3, process.pid);
    const otherLock = dir.join('b.lock.d/q-00000000000000000000-1-x-abcd1234');
    for (const path of [dead, first, second, otherLock]) {
      writeFileSync(path, '');
      utimesSync(path, OLD, OLD);
    }
    wakeHead(lock);
    const touched = (path: string) => lstatSync(path).mtimeMs !== OLD * 1000;
    expect([dead, first, second, otherLock].map(touched)).toEqual([false, true, false, false]);
  });

  it('does nothing when nobody waits or the directory is gone', async () => {
    await using dir = await createTempDir();
    expect(() => wakeHead(dir.join('a.lock'))).not.toThrow();
    expect(() => wakeHead(dir.join('missing', 'a.lock'))).not.toThrow();
  });
});

describe('poke', () => {
  it('wakes whoever is first now when asked to and the ticket it was given is gone, in both modes', async () => {
    await using dir = await createTempDir();
    const lock = dir.join('a.lock');
    mkdirSync(dir.join('a.lock.d'));
    const gone = `q-${'1'.padStart(20, '0')}-${process.pid}-${ownStartTime ?? 'x'}-abcd1234`;
    const next = dir.join(
      `a.lock.d/q-${'2'.padStart(20, '0')}-${process.pid}-${ownStartTime ?? 'x'}-abcd1234`,
    );
    const touched = () => lstatSync(next).mtimeMs !== OLD * 1000;
    writeFileSync(next, '');
    utimesSync(next, OLD, OLD);
    poke(lock, gone, false);
    expect(touched()).toBe(false);
    poke(lock, gone, false, true);
    expect(touched()).toBe(true);
    utimesSync(next, OLD, OLD);
    poke(lock, gone, true, true);
    while (!touched()) await new Promise((resolve) => setTimeout(resolve, 1));
  });
});

describe('pokes close together', () => {
  it('each change the ticket, also within one millisecond (a waiter tells a poke by its mtime)', async () => {
    await using dir = await createTempDir();
    const lock = dir.join('a.lock');
    mkdirSync(dir.join('a.lock.d'));
    const ticket = `q-${'1'.padStart(20, '0')}-${process.pid}-${ownStartTime ?? 'x'}-abcd1234`;
    const path = dir.join(`a.lock.d/${ticket}`);
    writeFileSync(path, '');
    const mtimes: bigint[] = [];
    const before = Date.now();
    for (let i = 0; i < 50; i++) {
      poke(lock, ticket);
      mtimes.push(lstatSync(path, { bigint: true }).mtimeNs);
    }
    const after = Date.now();
    // 50 back-to-back pokes share milliseconds; with a millisecond stamp most repeated the last one.
    expect(new Set(mtimes).size).toBe(mtimes.length);
    // ...and each still says when it happened, to the millisecond.
    for (const mtime of mtimes) {
      expect(Number(mtime / 1_000_000n)).toBeGreaterThanOrEqual(before);
      expect(Number(mtime / 1_000_000n)).toBeLessThanOrEqual(after);
    }
  });
});

describe('queue order', () => {
  it('serves waiters of one lock in arrival order when each release wakes the next', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    const tickets = () => readdirSync(dir.join('a.lock.d')).filter((name) => name.startsWith('q-')).length;
    const first = await acquire(path);
    const order: number[] = [];
    const waiters: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      waiters.push(
        acquire(path).then(async (lock) => {
          order.push(i);
          await lock.release();
        }),
      );
      // Each one queues before the next arrives: wait for its ticket, not for a fixed time.
      while (tickets() < i + 1) await new Promise((resolve) => setImmediate(resolve));
    }
    await first.release();
    await Promise.all(waiters);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(tickets()).toBe(0);
  });
});

describe('bounded bypass', () => {
  it('lets a releaser re-take the lock ahead of the head at most MAX_BYPASS times in a row', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    const tickets = () => readdirSync(dir.join('a.lock.d')).filter((name) => name.startsWith('q-')).length;
    // A generous bound, so only the count limit can stop the bypass on a loaded machine.
    let lock = await acquire(path, { bypassMs: 5000 });
    const events: string[] = [];
    const waiter = acquire(path).then((held) => {
      events.push('waiter');
      return held.release();
    });
    while (tickets() < 1) await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < MAX_BYPASS + 2; i++) {
      await lock.release();
      lock = await acquire(path, { bypassMs: 5000 });
      events.push(`again-${i}`);
    }
    await lock.release();
    await waiter;
    expect(events.indexOf('waiter')).toBe(MAX_BYPASS);
    expect(tickets()).toBe(0);
  });

  it('is off with bypassMs 0: the head waiter goes first', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    const tickets = () => readdirSync(dir.join('a.lock.d')).filter((name) => name.startsWith('q-')).length;
    let lock = await acquire(path, { bypassMs: 0 });
    const events: string[] = [];
    const waiter = acquire(path).then((held) => {
      events.push('waiter');
      return held.release();
    });
    while (tickets() < 1) await new Promise((resolve) => setImmediate(resolve));
    await lock.release();
    lock = await acquire(path, { bypassMs: 0 });
    events.push('again');
    await lock.release();
    await waiter;
    expect(events).toEqual(['waiter', 'again']);
  });
});

describe('the sweep of a waiter', () => {
  it('removes a ticket whose pid now names another process, and does not wait behind it', async (context) => {
    if (!procMounted) context.skip(needsProc('start times tell a reused pid'));
    await using dir = await createTempDir();
    const lock = dir.join('a.lock');
    mkdirSync(dir.join('a.lock.d'));
    // A live pid (ours) with a start time that is not its own: the waiter who joined with it is gone.
    const reused = dir.join(
      `a.lock.d/q-${'1'.padStart(20, '0')}-${process.pid}-${(ownStartTime ?? 0) + 1}-abcd1234`,
    );
    writeFileSync(reused, '');
    // Well under the 30 ms a waiter gives a head that seems stuck: only a free line lets it in this fast.
    const held = await acquire(lock, { timeoutMs: 10 });
    await held.release();
    expect(readdirSync(dir.join('a.lock.d')).filter((name) => name.startsWith('q-'))).toEqual([]);
  });
});
