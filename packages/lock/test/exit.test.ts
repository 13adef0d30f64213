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
});
