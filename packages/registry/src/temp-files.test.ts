import { spawn, spawnSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createTempDir } from '@ports/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { freeRange } from '../test/free-range.js';
import { PortRegistry } from './registry.js';
import { createTempFile, discardTempFile, tempFileOwner } from './temp-files.js';

const children: Array<{ kill(): boolean }> = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number;
}

function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child.pid as number;
}

describe('temp files', () => {
  it('names each one by pid and sequence, 0600, and never reuses a name within a process', async () => {
    await using dir = await createTempDir('registry-temp-');
    const file = dir.join('ports.json');
    const a = createTempFile(file);
    const b = createTempFile(file);
    expect(a.path).not.toBe(b.path);
    expect(tempFileOwner(file, basename(a.path))).toBe(process.pid);
    discardTempFile(a);
    discardTempFile(b);
    expect(await readdir(dir.path)).toEqual([]);
  });

  it('reads the owner from current and older names, and nothing from other files', () => {
    const file = '/tmp/ports.json';
    expect(tempFileOwner(file, 'ports.json.123.4.tmp')).toBe(123);
    expect(tempFileOwner(file, 'ports.json.123.tmp')).toBe(123);
    expect(tempFileOwner(file, 'ports.json.notes.tmp')).toBeUndefined();
    expect(tempFileOwner(file, 'other.json.123.4.tmp')).toBeUndefined();
    expect(tempFileOwner(file, 'ports.json.123.4.tmp.bak')).toBeUndefined();
  });

  it("a registry's first write removes the temp files of dead writers, and only those", async () => {
    await using dir = await createTempDir('registry-temp-');
    const file = dir.join('ports.json');
    const dead = deadPid();
    const live = livePid();
    const names = [
      `ports.json.${dead}.3.tmp`, // killed while waiting for the lock, before it had an entry
      `ports.json.${dead}.tmp`, // written by an older version
      `ports.json.${live}.1.tmp`, // a live writer's, about to be renamed
      'ports.json.notes.tmp', // not ours at all
    ];
    for (const name of names) await writeFile(dir.join(name), '{}');
    const registry = new PortRegistry({ file, range: await freeRange(2), logger: false });
    await registry.allocate({ instanceId: 'a' });
    // The lock's own files (`ports.json.lock*`) are the lock's business.
    const left = (await readdir(dir.path)).filter((name) => !name.startsWith('ports.json.lock'));
    expect(left.sort()).toEqual(['ports.json', `ports.json.${live}.1.tmp`, 'ports.json.notes.tmp'].sort());
  });
});
