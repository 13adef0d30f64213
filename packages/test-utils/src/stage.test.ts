import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnFixture } from './spawn-fixture.js';
import { stageFixture } from './stage.js';

const echo = fileURLToPath(new URL('./fixtures/echo-args.ts', import.meta.url));

describe('stageFixture', () => {
  it('bundles a TypeScript fixture into a 0755 directory that plain node runs, and removes it on dispose', async () => {
    let dir = '';
    {
      await using staged = await stageFixture(echo);
      dir = staged.dir;
      expect((await stat(staged.dir)).mode & 0o777).toBe(0o755);
      expect((await stat(staged.script)).mode & 0o777).toBe(0o644);
      expect(staged.script).toMatch(/\.mjs$/);
      await using child = spawnFixture(staged.script, ['a', 'b'], { cwd: staged.dir });
      expect(await child.waitForStdoutLine(/^args/)).toBe('args a b');
      expect(await child.waitForStdoutLine(/^self-gone/)).toBe('self-gone false');
    }
    await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
