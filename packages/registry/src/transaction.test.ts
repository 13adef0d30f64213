import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { heldByThisProcess } from '@ports/lock';
import { createTempDir, type TempDir } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import type { RegistryEntry } from './format.js';
import { resolveOptions } from './options.js';
import { RegistryFile } from './transaction.js';

function setup(dir: TempDir) {
  const options = resolveOptions({ file: dir.join('ports.json'), logger: false });
  const read = () => JSON.parse(readFileSync(options.file, 'utf8'));
  // What a transaction must leave behind: the registry, maybe files moved aside, no temp file, no lock held.
  const leftovers = () => ({
    temp: readdirSync(dir.path).filter((name) => name.endsWith('.tmp')),
    locked: heldByThisProcess(options.lockFile),
  });
  return { options, registryFile: new RegistryFile(options), read, leftovers };
}

const entry = (port: number): RegistryEntry => ({
  port,
  instanceId: `id-${port}`,
  pid: process.pid,
  createdAt: Date.now(),
  lastHeartbeat: Date.now(),
});

describe('RegistryFile.transaction', () => {
  it('writes the outcome atomically, mode 0600, with the other fields, and releases the lock', async () => {
    await using dir = await createTempDir('registry-tx-');
    const t = setup(dir);
    writeFileSync(t.options.file, JSON.stringify({ owner: 'me', instances: [] }));
    const result = await t.registryFile.transaction(undefined, (loaded) => {
      expect(heldByThisProcess(t.options.lockFile)).toBe(true);
      return { result: 'done', instances: [...loaded.state.instances, entry(9000)] };
    });
    expect(result).toBe('done');
    expect(t.read()).toMatchObject({ owner: 'me', version: 1, instances: [{ port: 9000 }] });
    expect(statSync(t.options.file).mode & 0o777).toBe(0o600);
    expect(t.leftovers()).toEqual({ temp: [], locked: false });
  });

  it('leaves a clean file untouched when the outcome changes nothing', async () => {
    await using dir = await createTempDir('registry-tx-');
    const t = setup(dir);
    writeFileSync(t.options.file, JSON.stringify({ instances: [entry(9000)] }));
    const before = statSync(t.options.file);
    expect(await t.registryFile.transaction(undefined, () => ({ result: 1 }))).toBe(1);
    const after = statSync(t.options.file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(t.leftovers()).toEqual({ temp: [], locked: false });
  });

  it('keeps what loading repaired when the operation fails, and rethrows its error', async () => {
    await using dir = await createTempDir('registry-tx-');
    const t = setup(dir);
    writeFileSync(t.options.file, JSON.stringify({ instances: [entry(9000), { port: 'x' }] }));
    const failure = new Error('operation failed');
    await expect(
      t.registryFile.transaction(undefined, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(t.read().instances.map((e: RegistryEntry) => e.port)).toEqual([9000]);
    expect(readdirSync(dir.path).filter((name) => name.includes('.corrupt-'))).toHaveLength(1);
    expect(t.leftovers()).toEqual({ temp: [], locked: false });
  });

  it('undoes the operation (onCommitFailed) when the file cannot be written, and removes its temp file', async () => {
    await using dir = await createTempDir('registry-tx-');
    const t = setup(dir);
    let undone = 0;
    const error = await t.registryFile
      .transaction(undefined, () => {
        // A directory where the registry goes: the rename onto it fails, as a full disk would.
        mkdirSync(t.options.file);
        return { result: 'never', instances: [entry(9000)], onCommitFailed: () => void undone++ };
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'RegistryError', code: 'EREGISTRYIO' });
    expect(undone).toBe(1);
    expect(t.leftovers()).toEqual({ temp: [], locked: false });
  });

  it('stops waiting for the lock when the signal aborts, leaving no temp file', async () => {
    await using dir = await createTempDir('registry-tx-');
    const t = setup(dir);
    const reason = new Error('stop');
    let ran = false;
    await expect(
      t.registryFile.transaction(AbortSignal.abort(reason), () => {
        ran = true;
        return { result: 0 };
      }),
    ).rejects.toMatchObject({ code: 'ELOCKABORTED' });
    expect(ran).toBe(false);
    expect(t.leftovers()).toEqual({ temp: [], locked: false });
  });
});

describe('RegistryFile.transactionSync', () => {
  it('loads, writes the outcome and releases the lock, synchronously', async () => {
    await using dir = await createTempDir('registry-tx-');
    const t = setup(dir);
    writeFileSync(t.options.file, JSON.stringify({ instances: [entry(9000), entry(9001)] }));
    const removed = t.registryFile.transactionSync(1000, (loaded) => ({
      result: loaded.state.instances.filter((e) => e.port === 9000),
      instances: loaded.state.instances.filter((e) => e.port !== 9000),
    }));
    expect(removed.map((e) => e.port)).toEqual([9000]);
    expect(t.read().instances.map((e: RegistryEntry) => e.port)).toEqual([9001]);
    expect(t.leftovers()).toEqual({ temp: [], locked: false });
  });
});
