import { chmod, mkdir, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTempDir, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { freeRange } from './free-range.js';

const allocateOnce = fileURLToPath(new URL('./fixtures/allocate-once.ts', import.meta.url));
const isRoot = process.getuid?.() === 0;

// Root may write anywhere, so the unwritable case runs the allocation as an unprivileged user.
describe.skipIf(!isRoot)('a registry in a directory the user cannot write', () => {
  it('fails at once with a clear error naming the path, and writes nothing', async () => {
    await using dir = await createTempDir('registry-perm-');
    await chmod(dir.path, 0o755);
    const locked = dir.join('locked');
    await mkdir(locked, { mode: 0o755 });
    const [start, end] = await freeRange(2);
    const file = `${locked}/ports.json`;
    await using child = spawnFixture(allocateOnce, [file, String(start), String(end)], {
      uid: 65534,
      gid: 65534,
      env: { HOME: '/tmp' },
    });
    const line = await child.waitForStdoutLine(/^(ok|error)/, { timeoutMs: 30_000 });
    expect(line).toMatch(/^error E[A-Z]+ /);
    expect(line).toContain(locked);
    expect(await readdir(locked)).toEqual([]);
  });
});
