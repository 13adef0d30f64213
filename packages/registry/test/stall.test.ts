import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTempDir, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { PortRegistry } from '../src/index.js';
import { freeRange } from './free-range.js';

const stall = fileURLToPath(new URL('./fixtures/stall.ts', import.meta.url));

describe('a holder stalled past lockStaleMs', () => {
  it('does not overwrite the registry after it continues', async () => {
    await using dir = await createTempDir('registry-stall-');
    const [start, end] = await freeRange(4);
    const file = dir.join('ports.json');
    await using stalled = spawnFixture(stall, [file, String(start), String(end), '300']);
    await stalled.waitForStderrLine('binding', { timeoutMs: 30_000 });
    stalled.kill('SIGSTOP');
    try {
      // The stopped holder cannot refresh its lock; once it is stale, we take it.
      const registry = new PortRegistry({ file, range: [start, end], logger: false, lockStaleMs: 300 });
      const ours = await registry.allocate({ instanceId: 'newcomer' });
      const written = await readFile(file, 'utf8');
      stalled.kill('SIGCONT');
      expect(await stalled.waitForStderrLine(/^(error|allocated)/)).toBe('error ELOCKCOMPROMISED');
      // It never wrote the file, so it never says it allocated.
      expect(stalled.stderr.lines.filter((line) => line.startsWith('log Allocated'))).toEqual([]);
      expect(await readFile(file, 'utf8')).toBe(written);
      expect((await registry.list()).map((entry) => entry.instanceId)).toEqual([ours.instanceId]);
    } finally {
      stalled.kill('SIGCONT');
    }
  }, 60_000);
});
