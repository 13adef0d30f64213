import { readFileSync, writeFileSync } from 'node:fs';
import { createTempDir, type FixtureProcess, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { acquiredAt, fixture, lockCli, lockLitter, spawnGroup } from './helpers.js';

/** Starts every process together and waits until each has finished its cycles and exited. */
async function runAll(group: { readonly all: FixtureProcess[] }): Promise<void> {
  for (const child of group.all) await child.waitForStderrLine('ready', { timeoutMs: 60_000 });
  for (const child of group.all) child.child.stdin?.write('go\n');
  for (const child of group.all) await child.waitForStderrLine('done', { timeoutMs: 120_000 });
  for (const child of group.all) expect(await child.exited()).toEqual({ code: 0, signal: null });
}

describe('mutual exclusion (property 1)', () => {
  it('8 processes x 200 cycles of read-increment-write end with the counter at exactly 1600', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('counter.lock');
    const counter = dir.join('counter');
    writeFileSync(counter, '0');
    // Six async and two synchronous processes: both flavours follow one protocol.
    await using group = spawnGroup(8, (i) => [
      fixture('counter.ts'),
      [lockPath, counter, '200', i < 6 ? 'async' : 'sync'],
    ]);
    await runAll(group);
    expect(Number(readFileSync(counter, 'utf8'))).toBe(1600);
    // Nothing left behind: no lock, no queue tickets, no guards, no holder files.
    expect(lockLitter(dir.path, 'counter.lock')).toEqual([]);
  }, 180_000);
});

describe("compatibility with the design's simple protocol (property 7)", () => {
  it('a simple-protocol process and ours exclude each other', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    const counter = dir.join('counter');
    writeFileSync(counter, '0');
    // Each critical section pauses 3 ms between read and write, so any overlap loses an update.
    await using group = spawnGroup(4, (i) =>
      i < 2
        ? [fixture('simple-protocol.ts'), [lockPath, counter, '25', '3']]
        : [fixture('counter.ts'), [lockPath, counter, '50', i === 2 ? 'async' : 'sync', '3']],
    );
    await runAll(group);
    expect(Number(readFileSync(counter, 'utf8'))).toBe(2 * 25 + 2 * 50);
  }, 180_000);

  it('writes a regular file whose content starts with the holder pid', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    await using holder = lockCli(lockPath);
    await holder.waitForStderrLine('acquired');
    const content = readFileSync(lockPath, 'utf8');
    expect(content).toMatch(/^\{"pid":\d+,/);
    expect(JSON.parse(content)).toMatchObject({
      pid: holder.pid,
      token: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('takes over at once from a simple-protocol holder that was killed', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    await using simple = spawnFixture(fixture('simple-protocol.ts'), [lockPath, dir.join('unused'), '0']);
    await simple.waitForStderrLine('locked');
    expect(readFileSync(lockPath, 'utf8')).toBe(String(simple.pid));
    await using waiter = lockCli(lockPath, { staleMs: 60_000, timeoutMs: 30_000 });
    await waiter.waitForStderrLine('waiting');
    const killedAt = Date.now();
    simple.kill('SIGKILL');
    const line = await waiter.waitForStderrLine(/^(acquired|error)/, { timeoutMs: 30_000 });
    expect(line).toMatch(/^acquired/);
    // staleMs is a minute: only the dead pid can explain a takeover this early.
    expect(acquiredAt(line) - killedAt).toBeLessThan(10_000);
  });
});
