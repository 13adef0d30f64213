import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PortRegistry } from '@ports/registry';
import { createTempDir, freePortRange, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { registryAllocator } from './registry-wiring.js';

/** The lock package's test holder: takes a lock, then obeys "hold <ms>" and "release" on stdin. */
const lockCli = fileURLToPath(new URL('../../../packages/lock/test/fixtures/lock-cli.ts', import.meta.url));

const idsIn = (file: string): string[] =>
  (JSON.parse(readFileSync(file, 'utf8')) as { instances: { instanceId: string }[] }).instances.map(
    (entry) => entry.instanceId,
  );

describe('registryAllocator', () => {
  it('still releases on exit (releaseSync) while an async release is stuck waiting for the lock', async () => {
    await using dir = await createTempDir();
    const file = dir.join('registry.json');
    const { start, end } = await freePortRange(2);
    const registry = new PortRegistry({ file, range: [start, end], logger: false });
    const allocation = await registryAllocator(registry, 'wired', () => {})({ bind: async () => {} });
    expect(idsIn(file)).toEqual(['wired']);

    await using holder = spawnFixture(lockCli, [`${file}.lock`]);
    await holder.waitForStderrLine(/^acquired/);
    const releasing = allocation.release();
    // The holder lets go while this thread is blocked in releaseSync, as on a hard exit: the async
    // release cannot run then, so only releaseSync can remove the entry.
    holder.child.stdin?.write('hold 100\nrelease\n');
    allocation.releaseSync?.();
    expect(idsIn(file)).toEqual([]);
    await releasing;
  });
});
