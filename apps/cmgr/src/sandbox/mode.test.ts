import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createTempDir } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { resolvePaths } from '../paths.js';
import { chooseSandbox, findOnPath, requestedMode } from './mode.js';

const paths = resolvePaths({ HOME: '/h', CMGR_HOME: '/h/.cmgr' });

describe('requestedMode', () => {
  it('takes the flag, else the setting, else auto', () => {
    expect(requestedMode('none', { sandbox: 'bwrap' }, paths)).toBe('none');
    expect(requestedMode(undefined, { sandbox: 'bwrap' }, paths)).toBe('bwrap');
    expect(requestedMode(undefined, {}, paths)).toBe('auto');
  });

  it('refuses a bad flag as a usage error and a bad setting as an invalid file', () => {
    expect(() => requestedMode('docker', {}, paths)).toThrow(expect.objectContaining({ code: 'EUSAGE' }));
    expect(() => requestedMode(undefined, { sandbox: 'jail' }, paths)).toThrow(
      expect.objectContaining({ code: 'ECONFIG', message: expect.stringContaining('/h/.cmgr/config.json') }),
    );
  });
});

describe('chooseSandbox', () => {
  it('finds bwrap on PATH (executables only), warns for auto without it, fails for bwrap without it', async () => {
    await using dir = await createTempDir('cmgr-mode-');
    await mkdir(dir.join('bin'));
    await writeFile(dir.join('bin', 'bwrap'), '#!/bin/sh\n');
    const pathEnv = `relative:${dir.join('empty')}:${dir.join('bin')}`;
    expect(await findOnPath('bwrap', pathEnv)).toBeUndefined();
    await chmod(dir.join('bin', 'bwrap'), 0o755);
    expect(await findOnPath('bwrap', pathEnv)).toBe(dir.join('bin', 'bwrap'));
    expect(await chooseSandbox('auto', 'w', { PATH: pathEnv })).toEqual({
      sandbox: 'bwrap',
      bwrap: dir.join('bin', 'bwrap'),
    });
    const none = await chooseSandbox('auto', 'w', { PATH: dir.join('empty') });
    expect(none.sandbox).toBe('none');
    expect(none.warning).toMatch(/^'bwrap' is not on PATH, so 'w' starts without a sandbox/);
    await expect(chooseSandbox('bwrap', 'w', { PATH: '' })).rejects.toMatchObject({ code: 'ENOSANDBOX' });
    expect(await chooseSandbox('none', 'w', { PATH: pathEnv })).toEqual({ sandbox: 'none' });
  });
});
