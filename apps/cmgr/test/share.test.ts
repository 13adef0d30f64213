import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCmgrHome } from './helpers.js';

// Recording shared folders; what the sandbox does with them is in sandbox.test.ts.

describe('cmgr create --share, share, unshare', () => {
  it('records folders at their absolute path, in order; share again changes --read-only; unshare forgets', async () => {
    await using home = await createCmgrHome();
    const a = join(home.path, 'a');
    const b = join(home.path, 'b');
    await mkdir(a);
    await mkdir(b);
    expect((await home.run(['create', 'work', '--share', a, '--share', b])).code).toBe(0);
    const shares = async () => JSON.parse((await home.run(['list', '--json'])).stdout).instances[0].shares;
    expect(await shares()).toEqual([
      { path: a, readOnly: false },
      { path: b, readOnly: false },
    ]);
    expect((await home.run(['share', 'work', `${a}/./`, '--read-only'])).code).toBe(0);
    expect(await shares()).toEqual([
      { path: a, readOnly: true },
      { path: b, readOnly: false },
    ]);
    expect((await home.run(['unshare', 'work', a])).stdout).toBe(`unshared ${a} from 'work'\n`);
    expect(await shares()).toEqual([{ path: b, readOnly: false }]);
    const again = await home.run(['unshare', 'work', a]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`cmgr: ${a} is not shared with 'work' (shared: ${b})\n`);
    expect((await home.run(['unshare', 'work', b])).code).toBe(0);
    expect((await home.registry()).instances.work).not.toHaveProperty('shares');
  });

  it('refuses what is not a folder, and what would undo the sandbox, before anything is recorded', async () => {
    await using home = await createCmgrHome();
    const file = join(home.path, 'file.txt');
    await writeFile(file, 'x');
    const missing = await home.run(['create', 'work', '--share', join(home.path, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^cmgr: cannot share .*nope \(ENOENT\); create it first/);
    expect((await home.run(['list', '--json'])).stdout).toMatch(/"instances": \[\]/);
    expect((await home.run(['create', 'work'])).code).toBe(0);
    expect((await home.run(['share', 'work', file])).stderr).toMatch(/it is not a folder/);
    for (const [dir, why] of [
      ['/', /would undo the sandbox/],
      ['/home', /covers or lies inside the sandbox home/],
      ['/home/claude/x', /covers or lies inside the sandbox home/],
      ['/proc', /set up by the sandbox itself/],
    ] as const) {
      const refused = await home.run(['share', 'work', dir]);
      expect(refused.code, dir).toBe(2);
      expect(refused.stderr).toMatch(why);
    }
    expect((await home.run(['share', 'work'])).code).toBe(2);
    expect((await home.run(['share', 'ghost', home.path])).code).toBe(4);
    expect((await home.registry()).instances.work).not.toHaveProperty('shares');
  });
});
