import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createTempDir } from './temp-dir.js';

describe('createTempDir', () => {
  it('creates a directory and removes it with its contents on dispose', async () => {
    let path = '';
    {
      await using dir = await createTempDir();
      path = dir.path;
      await mkdir(dir.join('nested'));
      await writeFile(dir.join('nested', 'file.txt'), 'x');
      expect(existsSync(dir.join('nested', 'file.txt'))).toBe(true);
    }
    expect(path).not.toBe('');
    expect(existsSync(path)).toBe(false);
  });

  it('removes the directory even when the block throws', async () => {
    let path = '';
    await expect(
      (async () => {
        await using dir = await createTempDir('throwing-');
        path = dir.path;
        throw new Error('boom');
      })(),
    ).rejects.toThrow('boom');
    expect(existsSync(path)).toBe(false);
  });

  it('gives each call its own directory', async () => {
    await using a = await createTempDir();
    await using b = await createTempDir();
    expect(a.path).not.toBe(b.path);
  });
});
