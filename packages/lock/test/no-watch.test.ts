import { readFileSync, writeFileSync } from 'node:fs';
import { acquire } from '@ports/lock';
import { createTempDir } from '@ports/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { disableWatch } from '../src/wake.js';
import { fixture, lockCli, lockLitter, spawnGroup } from './helpers.js';

/** Processes that never use fs.watch, as where it is unreliable: polls are their only wake-up. */
const NO_WATCH = { PORTS_LOCK_NO_WATCH: '1' };

describe('waiting where fs.watch is unreliable: polls alone', () => {
  afterEach(() => disableWatch(false));

  it('a waiter in this process, not watching, gets the lock another process releases', async () => {
    disableWatch(true);
    await using dir = await createTempDir();
    const lockPath = dir.join('a.lock');
    await using holder = lockCli(lockPath);
    await holder.waitForStderrLine(/^acquired/);
    const waiting = acquire(lockPath, { timeoutMs: 20_000 });
    holder.child.stdin?.write('release\n');
    expect(await holder.waitForStderrLine(/^(released|not ours|error)/)).toBe('released');
    const lock = await waiting;
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('a waiting process that watches nothing still gets the lock when its holder releases it', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('a.lock');
    const holder = await acquire(lockPath);
    await using waiter = lockCli(lockPath, { timeoutMs: 20_000 }, NO_WATCH);
    await waiter.waitForStderrLine('waiting');
    await holder.release();
    expect(await waiter.waitForStderrLine(/^(acquired|error)/, { timeoutMs: 30_000 })).toMatch(/^acquired/);
  });

  it('6 processes x 100 cycles, none watching, end with the counter at exactly 600', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('counter.lock');
    const counter = dir.join('counter');
    writeFileSync(counter, '0');
    await using group = spawnGroup(6, () => [
      fixture('counter.ts'),
      [lockPath, counter, '100', 'async'],
      { env: NO_WATCH },
    ]);
    for (const child of group.all) await child.waitForStderrLine('ready', { timeoutMs: 60_000 });
    for (const child of group.all) child.child.stdin?.write('go\n');
    for (const child of group.all) await child.waitForStderrLine('done', { timeoutMs: 120_000 });
    // Holder files go when their process exits: only then is "nothing left" the right question.
    for (const child of group.all) expect(await child.exited()).toEqual({ code: 0, signal: null });
    expect(Number(readFileSync(counter, 'utf8'))).toBe(600);
    expect(lockLitter(dir.path, 'counter.lock')).toEqual([]);
  }, 180_000);
});
