import { spawn, spawnSync } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { acquire, processStartTime } from '@ports/lock';
import { createTempDir, procMounted } from '@ports/test-utils';
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

/** This host's tag, as our own temp file names carry it, and one that is certainly another host's. */
function hostTags(file: string): { ours: string; theirs: string } {
  const temp = createTempFile(file);
  discardTempFile(temp);
  const ours = basename(temp.path).split('.').at(-3) as string;
  return { ours, theirs: ours === '00000000' ? '11111111' : '00000000' };
}

/** Files left beside the registry, without the lock's own (`<file>.lock*`). */
async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => !name.startsWith('ports.json.lock')).sort();
}

describe('temp files', () => {
  it('are 0600, named by pid and start time, pid scope and a random part, and never share a name', async () => {
    await using dir = await createTempDir('registry-temp-');
    const file = dir.join('ports.json');
    const a = createTempFile(file);
    const b = createTempFile(file);
    expect(a.path).not.toBe(b.path);
    expect(basename(a.path)).toMatch(
      new RegExp(`^ports\\.json\\.${process.pid}-(\\d+|x)\\.[0-9a-f]{8}\\.[0-9a-f]{8}\\.tmp$`),
    );
    expect((await stat(a.path)).mode & 0o777).toBe(0o600);
    expect(tempFileOwner(file, basename(a.path))).toEqual({
      pid: process.pid,
      startTime: processStartTime(process.pid),
    });
    discardTempFile(a);
    discardTempFile(b);
    expect(await readdir(dir.path)).toEqual([]);
  });

  it("reads the owner from our pid namespace's names and older ones, never from others' or other files", () => {
    const file = '/tmp/ports.json';
    const { ours, theirs } = hostTags(file);
    expect(tempFileOwner(file, `ports.json.123-456.${ours}.0a1b2c3d.tmp`)).toEqual({
      pid: 123,
      startTime: 456,
    });
    expect(tempFileOwner(file, `ports.json.123-x.${ours}.0a1b2c3d.tmp`)).toEqual({
      pid: 123,
      startTime: null,
    });
    expect(tempFileOwner(file, 'ports.json.123.tmp')).toEqual({ pid: 123, startTime: null });
    expect(tempFileOwner(file, `ports.json.123-456.${theirs}.0a1b2c3d.tmp`)).toBeUndefined();
    expect(tempFileOwner(file, 'ports.json.notes.tmp')).toBeUndefined();
    expect(tempFileOwner(file, `other.json.123-456.${ours}.0a1b2c3d.tmp`)).toBeUndefined();
    expect(tempFileOwner(file, `ports.json.123-456.${ours}.0a1b2c3d.tmp.bak`)).toBeUndefined();
  });

  it("a registry's first operation removes the temp files of gone writers in our pid namespace, and only those", async () => {
    await using dir = await createTempDir('registry-temp-');
    const file = dir.join('ports.json');
    const { ours, theirs } = hostTags(file);
    const dead = deadPid();
    const live = livePid();
    const liveStart = processStartTime(live);
    const kept = [
      `ports.json.${live}-${liveStart ?? 'x'}.${ours}.00000001.tmp`, // a live writer's, about to be renamed
      `ports.json.${dead}-1.${theirs}.00000002.tmp`, // another host's or container's: our pids say nothing
      'ports.json.notes.tmp', // not ours at all
    ];
    const removed = [
      `ports.json.${dead}-1.${ours}.00000003.tmp`, // killed while waiting for the lock, before it had an entry
      `ports.json.${dead}.tmp`, // written by an older version
    ];
    // Its pid now names another process: told by the start time where /proc gives one; elsewhere the
    // live pid is taken at its word and its file stays.
    (procMounted ? removed : kept).push(`ports.json.${live}-${(liveStart ?? 0) + 1}.${ours}.00000004.tmp`);
    for (const name of [...kept, ...removed]) await writeFile(dir.join(name), '{}');
    const registry = new PortRegistry({ file, range: await freeRange(2), logger: false });
    expect(await registry.release('nothing-to-release')).toBe(false);
    expect(await leftovers(dir.path)).toEqual([...kept].sort());
  });

  it('evicting a writer that died removes its temp files, also after the first write', async () => {
    await using dir = await createTempDir('registry-temp-');
    const file = dir.join('ports.json');
    const range = await freeRange(2);
    const registry = new PortRegistry({ file, range, logger: false });
    await registry.allocate({ instanceId: 'a' });
    const { ours } = hostTags(file);
    const dead = deadPid();
    const now = Date.now();
    const entry = { port: range[1], instanceId: 'gone', pid: dead, createdAt: now, lastHeartbeat: now };
    const current = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ instances: [...current.instances, entry] }));
    await writeFile(dir.join(`ports.json.${dead}-1.${ours}.00000004.tmp`), '{}');
    await registry.heartbeat('a');
    expect(await leftovers(dir.path)).toEqual(['ports.json']);
  });

  it('leaves no temp file when the lock is not had, or when nothing is written', async () => {
    await using dir = await createTempDir('registry-temp-');
    const file = dir.join('ports.json');
    const registry = new PortRegistry({ file, range: await freeRange(2), logger: false, lockTimeoutMs: 200 });
    await registry.allocate({ instanceId: 'a' });
    expect(await registry.release('never-allocated')).toBe(false);
    expect(await leftovers(dir.path)).toEqual(['ports.json']);

    const held = await acquire(`${file}.lock`);
    try {
      await expect(registry.allocate({ instanceId: 'b' })).rejects.toMatchObject({ code: 'ELOCKTIMEOUT' });
      const aborted = new AbortController();
      const pending = registry.allocate({ instanceId: 'c', signal: aborted.signal });
      aborted.abort(new Error('changed my mind'));
      await expect(pending).rejects.toMatchObject({ code: 'ELOCKABORTED' });
    } finally {
      await held.release();
    }
    expect(await leftovers(dir.path)).toEqual(['ports.json']);
  });
});
