import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTempDir, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';

const lockOnExit = fileURLToPath(new URL('./fixtures/lock-on-exit.ts', import.meta.url));

describe('locking from an exit listener', () => {
  it('works after the library’s own exit cleanup and leaves no file behind', async () => {
    await using dir = await createTempDir('lock-exit-');
    await using child = spawnFixture(lockOnExit, [dir.join('registry.json.lock')]);
    expect((await child.exited()).code).toBe(0);
    expect(child.stderr.lines).toContain('locked on exit');
    expect(await readdir(dir.path)).toEqual([]);
  });
});
