import { lstatSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { acquire, acquireSync, LockError } from '@ports/lock';
import { createTempDir, type FixtureProcess } from '@ports/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forceCopyFallback } from '../src/holder.js';
import { fixture, lockCli, lockLitter, spawnGroup } from './helpers.js';

/** Child processes that behave as on a file system without hard links (FAT, some network ones). */
const NO_LINKS = { PORTS_LOCK_NO_HARDLINKS: '1' };

async function runAll(group: { readonly all: FixtureProcess[] }): Promise<void> {
  for (const child of group.all) await child.waitForStderrLine('ready', { timeoutMs: 60_000 });
  for (const child of group.all) child.child.stdin?.write('go\n');
  for (const child of group.all) await child.waitForStderrLine('done', { timeoutMs: 120_000 });
  for (const child of group.all) expect(await child.exited()).toEqual({ code: 0, signal: null });
}

describe('where link(2) fails: the O_CREAT|O_EXCL fallback', () => {
  beforeEach(() => forceCopyFallback(true));
  afterEach(() => forceCopyFallback(false));

  it('creates the lock as a file of its own (one link) with our record, mode 0600, and removes it on release', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('a.lock');
    const lock = await acquire(lockPath);
    const stat = lstatSync(lockPath);
    expect(stat.isFile()).toBe(true);
    expect(stat.nlink).toBe(1);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    // No hard link of it anywhere in the sidecar either.
    for (const name of readdirSync(`${lockPath}.d`)) {
      expect(lstatSync(`${lockPath}.d/${name}`).ino).not.toBe(stat.ino);
    }
    expect(lock.held).toBe(true);
    lock.assertHeld();
    expect(await lock.release()).toBe(true);
    expect(lstatSync(lockPath, { throwIfNoEntry: false })).toBeUndefined();
    const again = acquireSync(lockPath, { timeoutMs: 1000 });
    expect(again.release()).toBe(true);
  });

  it('still tells a holder it lost the lock, and its release leaves the new owner alone', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('a.lock');
    const lock = await acquire(lockPath);
    unlinkSync(lockPath);
    writeFileSync(lockPath, '1', { mode: 0o600 });
    expect(() => lock.assertHeld()).toThrow(LockError);
    expect(lock.compromised).toBe(true);
    expect(await lock.release()).toBe(false);
    expect(readFileSync(lockPath, 'utf8')).toBe('1');
  });

  it('keeps a held lock fresh: a waiter with a short staleMs never takes it from a live holder', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('a.lock');
    await using holder = lockCli(lockPath, { staleMs: 300 }, NO_LINKS);
    await holder.waitForStderrLine(/^acquired/);
    expect(lstatSync(lockPath).nlink).toBe(1); // the child created it, not linked it
    // Held for 3 staleMs: only the holder's refreshes of its own file keep the waiter out.
    await expect(acquire(lockPath, { staleMs: 300, timeoutMs: 900 })).rejects.toMatchObject({
      code: 'ELOCKTIMEOUT',
    });
    holder.child.stdin?.write('check\n');
    expect(await holder.waitForStderrLine(/^(held|error)/)).toBe('held');
  });

  it('8 processes x 100 cycles without hard links end with the counter at exactly 800, leaving nothing', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('counter.lock');
    const counter = dir.join('counter');
    writeFileSync(counter, '0');
    await using group = spawnGroup(8, (i) => [
      fixture('counter.ts'),
      [lockPath, counter, '100', i < 6 ? 'async' : 'sync'],
      { env: NO_LINKS },
    ]);
    await runAll(group);
    expect(Number(readFileSync(counter, 'utf8'))).toBe(800);
    expect(lockLitter(dir.path, 'counter.lock')).toEqual([]);
  }, 180_000);

  it('a holder killed with SIGKILL is replaced at once (long before staleMs) by a waiter without links', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('a.lock');
    await using holder = lockCli(lockPath, {}, NO_LINKS);
    await holder.waitForStderrLine(/^acquired/);
    holder.kill('SIGKILL');
    await holder.exited();
    const lock = await acquire(lockPath, { staleMs: 60_000, timeoutMs: 10_000 });
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });
});
