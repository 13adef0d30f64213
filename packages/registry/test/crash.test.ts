import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTempDir, type FixtureProcess, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { PortRegistry } from '../src/index.js';
import { freeRange } from './free-range.js';

const worker = fileURLToPath(new URL('./fixtures/crash-worker.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function assertWellFormed(file: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return; // not written yet
  }
  const data = JSON.parse(text);
  expect(Array.isArray(data.instances)).toBe(true);
  const ports = data.instances.map((entry: { port: number }) => entry.port);
  expect(new Set(ports).size).toBe(ports.length);
  for (const entry of data.instances) {
    expect(entry).toMatchObject({
      port: expect.any(Number),
      instanceId: expect.any(String),
      pid: expect.any(Number),
    });
  }
}

describe('crash recovery', () => {
  it('100 kill -9 at random moments: always parseable, never double-assigned, every port allocatable after', async () => {
    await using dir = await createTempDir('registry-crash-');
    const [start, end] = await freeRange(4);
    const file = dir.join('ports.json');
    // Several lanes, so a replacement worker boots while the others are being killed.
    const lanes = 4;
    const spawnWorker = async (): Promise<FixtureProcess> => {
      const child = spawnFixture(worker, [file, String(start), String(end)]);
      await child.waitForStderrLine('ready', { timeoutMs: 60_000 });
      return child;
    };
    const live: Array<Promise<FixtureProcess>> = Array.from({ length: lanes }, spawnWorker);
    try {
      for (let round = 0; round < 100; round++) {
        const lane = round % lanes;
        const victim = await (live[lane] as Promise<FixtureProcess>);
        await sleep(Math.random() * 40);
        victim.kill('SIGKILL');
        await victim.exited();
        await assertWellFormed(file);
        live[lane] = spawnWorker();
      }
    } finally {
      const settled = await Promise.allSettled(live);
      await Promise.all(
        settled.map((result) =>
          result.status === 'fulfilled' ? result.value[Symbol.asyncDispose]() : undefined,
        ),
      );
    }
    await assertWellFormed(file);
    const registry = new PortRegistry({ file, range: [start, end], logger: false, lockStaleMs: 1_000 });
    const ports: number[] = [];
    for (let i = start; i <= end; i++)
      ports.push((await registry.allocate({ instanceId: `after-${i}` })).port);
    expect(ports.sort()).toEqual([start, start + 1, start + 2, start + 3]);
  }, 240_000);
});
