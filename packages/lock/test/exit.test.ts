import { readdirSync, statSync } from 'node:fs';
import { acquire, processStartTime } from '@ports/lock';
import { createTempDir, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { fixture, lockLitter } from './helpers.js';

describe('locking from exit handlers', () => {
  it("an exit handler registered after the lock's own cleanup still locks, and leaves nothing behind", async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    await using child = spawnFixture(fixture('exit-handler.ts'), [lockPath]);
    const line = await child.waitForStderrLine(/^exit handler/, { timeoutMs: 30_000 });
    expect(line).toBe('exit handler locked');
    expect((await child.exited()).code).toBe(0);
    expect(lockLitter(dir.path, 'registry.json.lock')).toEqual([]);
  }, 60_000);

  it('a process that exits while waiting in line takes its ticket and holder file along', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    const held = await acquire(lockPath);
    try {
      await using child = spawnFixture(fixture('exit-while-waiting.ts'), [lockPath]);
      await child.waitForStderrLine('waiting', { timeoutMs: 30_000 });
      expect((await child.exited()).code).toBe(0);
      const pid = child.child.pid;
      expect(readdirSync(`${lockPath}.d`).filter((name) => name.includes(`-${pid}-`))).toEqual([]);
    } finally {
      await held.release();
    }
  }, 60_000);

  it('a wake-up still on the thread pool when the releaser exits is sent before it goes', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    const args = [lockPath, String(process.pid), String(processStartTime(process.pid))];
    await using child = spawnFixture(fixture('release-then-exit.ts'), args, {
      env: { UV_THREADPOOL_SIZE: '1' },
    });
    expect((await child.exited()).code).toBe(0);
    // The ticket was touched: its waiter would have been woken, not left to poll.
    const ticket = `${lockPath}.d/q-00000000000000000001-${process.pid}-${processStartTime(process.pid)}-0a1b2c3d`;
    expect(statSync(ticket).mtimeMs).toBeGreaterThan(1_000_000);
  }, 60_000);
});
