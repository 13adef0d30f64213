import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { acquire } from '@ports/lock';
import { createTempDir, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { freeRange } from './free-range.js';

const serve = fileURLToPath(new URL('./fixtures/serve.ts', import.meta.url));
const exitWhileWaiting = fileURLToPath(new URL('./fixtures/exit-while-waiting.ts', import.meta.url));
const logChurn = fileURLToPath(new URL('./fixtures/log-churn.ts', import.meta.url));

async function entryIds(file: string): Promise<string[]> {
  return JSON.parse(await readFile(file, 'utf8')).instances.map(
    (entry: { instanceId: string }) => entry.instanceId,
  );
}

describe('shutdown releases the entry', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['stdin close', 0],
    ['normal exit', 0],
  ] as const)('on %s', async (how, code) => {
    await using dir = await createTempDir('registry-shutdown-');
    const [start, end] = await freeRange(2);
    const file = dir.join('ports.json');
    await using child = spawnFixture(serve, [
      file,
      String(start),
      String(end),
      how === 'normal exit' ? 'exit' : 'serve',
    ]);
    const line = await child.waitForStderrLine(/^serving/, { timeoutMs: 30_000 });
    const instanceId = line.split(' as ')[1] as string;
    if (how === 'SIGTERM' || how === 'SIGINT') {
      expect(await entryIds(file)).toEqual([instanceId]);
      child.kill(how);
    } else if (how === 'stdin close') {
      child.child.stdin?.end();
    }
    expect((await child.exited()).code).toBe(code);
    expect(await entryIds(file)).toEqual([]);
  });

  it('leaves no temp file behind when the process exits while its allocation waits for the lock', async () => {
    await using dir = await createTempDir('registry-shutdown-');
    const [start, end] = await freeRange(2);
    const file = dir.join('ports.json');
    const held = await acquire(`${file}.lock`);
    try {
      await using child = spawnFixture(exitWhileWaiting, [file, String(start), String(end)]);
      await child.waitForStderrLine('waiting', { timeoutMs: 30_000 });
      expect((await child.exited()).code).toBe(0);
      const pid = child.child.pid;
      expect(readdirSync(dir.path).filter((name) => name.startsWith(`ports.json.${pid}-`))).toEqual([]);
      expect(readdirSync(`${file}.lock.d`).filter((name) => name.includes(`-${pid}-`))).toEqual([]);
    } finally {
      await held.release();
    }
  }, 60_000);
});

describe('a closed stderr', () => {
  it('does not crash a process whose registry logs to it (EPIPE)', async () => {
    await using dir = await createTempDir('registry-epipe-');
    const [start, end] = await freeRange(2);
    await using child = spawnFixture(logChurn, [dir.join('ports.json'), String(start), String(end), '5']);
    await child.waitForStdoutLine('ready');
    // Whoever read our stderr went away: every log line now fails with EPIPE.
    child.child.stderr?.destroy();
    expect(await child.exited()).toEqual({ code: 0, signal: null });
    expect(child.stdout.text).toContain('done');
  });
});
