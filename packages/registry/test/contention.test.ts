import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTempDir, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { freeRange } from './free-range.js';

const churn = fileURLToPath(new URL('./fixtures/churn.ts', import.meta.url));

describe('allocation under contention', () => {
  it('16 processes x 20 cycles on 16 ports: no port ever held twice, no errors, always valid JSON', async () => {
    await using dir = await createTempDir('registry-contention-');
    const [start, end] = await freeRange(16);
    const markers = dir.join('markers');
    await mkdir(markers);
    const file = dir.join('ports.json');
    const workers = Array.from({ length: 16 }, () =>
      spawnFixture(churn, [file, String(start), String(end), '20', markers]),
    );
    try {
      const summaries = await Promise.all(
        workers.map(async (worker) =>
          JSON.parse(await worker.waitForStdoutLine(/^\{/, { timeoutMs: 110_000 })),
        ),
      );
      for (const summary of summaries) {
        expect(summary).toEqual({ cycles: 20, violations: 0, errors: [], invalidReads: 0 });
      }
      expect(JSON.parse(await readFile(file, 'utf8')).instances).toEqual([]);
    } finally {
      await Promise.all(workers.map((worker) => worker[Symbol.asyncDispose]()));
    }
  }, 120_000);
});
