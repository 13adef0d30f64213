import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTempDir, spawnFixture, stageFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { freeRange } from './free-range.js';

const allocateOnce = fileURLToPath(new URL('./fixtures/allocate-once.ts', import.meta.url));
const listOnce = fileURLToPath(new URL('./fixtures/list-once.ts', import.meta.url));
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
    // Nobody may not reach the checkout (a clone under a 0700 folder): run a bundled copy from /tmp.
    await using staged = await stageFixture(allocateOnce);
    await using child = spawnFixture(staged.script, [file, String(start), String(end)], {
      uid: 65534,
      gid: 65534,
      cwd: staged.dir,
      env: { HOME: '/tmp' },
    });
    const line = await child.waitForStdoutLine(/^(ok|error)/, { timeoutMs: 30_000 });
    expect(line).toMatch(/^error E[A-Z]+ /);
    expect(line).toContain(locked);
    expect(await readdir(locked)).toEqual([]);
  });
});

// A user who is not root cannot even open another user's 0600 registry: the error must still say whose it is.
describe.skipIf(!isRoot)("another user's registry that the user cannot open", () => {
  it('is refused with EREGISTRYOWNER naming the owner, and left as it was', async () => {
    await using dir = await createTempDir('registry-owner-');
    // Like /tmp: anyone may create files (the lock), nobody may touch another's.
    await chmod(dir.path, 0o1777);
    const file = dir.join('ports.json');
    const text = `${JSON.stringify({ instances: [] })}\n`;
    await writeFile(file, text, { mode: 0o600 });
    const [start, end] = await freeRange(2);
    await using staged = await stageFixture(allocateOnce);
    await using child = spawnFixture(staged.script, [file, String(start), String(end)], {
      uid: 65534,
      gid: 65534,
      cwd: staged.dir,
      env: { HOME: '/tmp' },
    });
    const line = await child.waitForStdoutLine(/^(ok|error)/, { timeoutMs: 30_000 });
    expect(line).toMatch(/^error EREGISTRYOWNER .*belongs to uid 0, not to you \(uid 65534\)/);
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

// In child processes: a blocking open of a FIFO would hang the process that makes it.
describe('a FIFO planted at the registry path', () => {
  it('is refused at once by allocate and list, never opened for a writer that never comes', async () => {
    await using dir = await createTempDir('registry-fifo-');
    const file = dir.join('ports.json');
    execFileSync('mkfifo', [file]);
    const [start, end] = await freeRange(2);
    for (const fixture of [allocateOnce, listOnce]) {
      await using child = spawnFixture(fixture, [file, String(start), String(end)]);
      const line = await child.waitForStdoutLine(/^(ok|error)/, { timeoutMs: 30_000 });
      expect(line).toMatch(/^error EREGISTRYIO .*not a regular file/);
    }
  });
});
