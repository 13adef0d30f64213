import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createTempDir, type TempDir } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from './load.js';
import { resolveOptions } from './options.js';
import { storeOptions } from './store.js';

function setup(dir: TempDir) {
  const lines: string[] = [];
  const options = resolveOptions({
    file: dir.join('ports.json'),
    logger: { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) },
  });
  const load = (text: Parameters<typeof loadRegistry>[0]) =>
    loadRegistry(text, options, storeOptions(options));
  const aside = () => readdirSync(dir.path).filter((name) => name.startsWith('ports.json.corrupt-'));
  return { file: options.file, lines, load, aside };
}

const entry = (port: number, overrides: Record<string, unknown> = {}) => ({
  port,
  instanceId: `id-${port}`,
  pid: process.pid,
  createdAt: Date.now(),
  lastHeartbeat: Date.now(),
  ...overrides,
});

describe('loadRegistry', () => {
  it('starts empty, clean, from a missing file', async () => {
    await using dir = await createTempDir('registry-load-');
    const t = setup(dir);
    expect(t.load(undefined)).toEqual({
      state: { instances: [], otherFields: {} },
      dirty: false,
      exited: false,
    });
    expect(t.lines).toEqual([]);
  });

  it('moves a corrupt file aside, warns with the reason, and starts afresh', async () => {
    await using dir = await createTempDir('registry-load-');
    const t = setup(dir);
    writeFileSync(t.file, '{"instances": [');
    const loaded = t.load('{"instances": [');
    expect(loaded).toMatchObject({ state: { instances: [], otherFields: {} }, dirty: true });
    expect(t.aside()).toHaveLength(1);
    expect(readFileSync(dir.join(t.aside()[0] as string), 'utf8')).toBe('{"instances": [');
    expect(t.lines).toEqual([expect.stringMatching(/^warn registry .* was corrupt \(not valid JSON/)]);
  });

  it('moves a file too large to parse aside', async () => {
    await using dir = await createTempDir('registry-load-');
    const t = setup(dir);
    writeFileSync(t.file, 'x');
    expect(t.load({ tooLarge: 99 })).toMatchObject({ state: { instances: [] }, dirty: true });
    expect(t.aside()).toHaveLength(1);
    expect(t.lines).toEqual([expect.stringContaining('was 99 bytes, too large to be ours; moved it to')]);
  });

  it('keeps the valid entries and other fields beside invalid entries, and saves the original', async () => {
    await using dir = await createTempDir('registry-load-');
    const t = setup(dir);
    const text = JSON.stringify({ owner: 'me', instances: [entry(9000), { port: 'x' }] });
    writeFileSync(t.file, text);
    const loaded = t.load(text);
    expect(loaded.state.instances.map((e) => e.port)).toEqual([9000]);
    expect(loaded.state.otherFields).toEqual({ owner: 'me' });
    expect(loaded.dirty).toBe(true);
    expect(readFileSync(dir.join(t.aside()[0] as string), 'utf8')).toBe(text);
  });

  it('evicts dead and silent entries, remembers their ports, and says when a process exited', async () => {
    await using dir = await createTempDir('registry-load-');
    const t = setup(dir);
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid as number;
    const silent = JSON.stringify({ instances: [entry(9001, { lastHeartbeat: 0 }), entry(9002)] });
    const onlySilent = t.load(silent);
    expect(onlySilent.state.instances.map((e) => e.port)).toEqual([9002]);
    expect(onlySilent).toMatchObject({ dirty: true, exited: false });
    expect(onlySilent.state.otherFields).toEqual({ previousPorts: [{ instanceId: 'id-9001', port: 9001 }] });

    const dead = t.load(JSON.stringify({ instances: [entry(9003, { pid: deadPid }), entry(9002)] }));
    expect(dead.state.instances.map((e) => e.port)).toEqual([9002]);
    expect(dead).toMatchObject({ dirty: true, exited: true });
    expect(t.lines.filter((line) => line.includes('Evicted stale instance'))).toHaveLength(2);
    expect(t.aside()).toEqual([]);
  });

  it('leaves a file of live entries as it is', async () => {
    await using dir = await createTempDir('registry-load-');
    const t = setup(dir);
    const loaded = t.load(JSON.stringify({ instances: [entry(9000)] }));
    expect(loaded).toMatchObject({ dirty: false, exited: false });
    expect(t.lines).toEqual([]);
  });
});
