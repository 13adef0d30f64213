import { readFileSync, writeFileSync } from 'node:fs';
import { createTempDir } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { renameRetrying } from './rename.js';

const busy = (code: string): Error => Object.assign(new Error(`${code}: resource busy`), { code });

describe('renameRetrying', () => {
  it('on Windows, retries a rename that an open handle makes fail (EPERM, EBUSY, EACCES) until it goes through', async () => {
    await using dir = await createTempDir();
    writeFileSync(dir.join('temp'), 'new');
    writeFileSync(dir.join('registry.json'), 'old');
    const failures = ['EPERM', 'EBUSY', 'EACCES'];
    const sleeps: number[] = [];
    let calls = 0;
    renameRetrying(dir.join('temp'), dir.join('registry.json'), {
      transientFailures: true,
      sleep: (ms) => sleeps.push(ms),
      rename: (from, to) => {
        calls++;
        const code = failures.shift();
        if (code) throw busy(code);
        // The handle is closed now: the real rename.
        renameRetrying(from, to, { transientFailures: false });
      },
    });
    expect(calls).toBe(4);
    expect(sleeps).toEqual([1, 2, 4]);
    expect(readFileSync(dir.join('registry.json'), 'utf8')).toBe('new');
  });

  it('gives up after a bounded time with the last error', () => {
    let clock = 0;
    let calls = 0;
    const attempt = () =>
      renameRetrying('a', 'b', {
        transientFailures: true,
        now: () => clock,
        sleep: (ms) => {
          clock += ms;
        },
        rename: () => {
          calls++;
          throw busy('EBUSY');
        },
      });
    expect(attempt).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    expect(clock).toBe(1000);
    expect(calls).toBeGreaterThan(5);
  });

  it('does not retry other errors, nor these errors where renames do not fail transiently (POSIX)', async () => {
    await using dir = await createTempDir();
    let calls = 0;
    const failing = (code: string) => () => {
      calls++;
      throw busy(code);
    };
    expect(() => renameRetrying('a', 'b', { transientFailures: true, rename: failing('ENOENT') })).toThrow(
      'ENOENT',
    );
    expect(() => renameRetrying('a', 'b', { transientFailures: false, rename: failing('EBUSY') })).toThrow(
      'EBUSY',
    );
    expect(calls).toBe(2);
    // The real rename, for real errors: a missing source.
    expect(() => renameRetrying(dir.join('missing'), dir.join('b'))).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
  });
});
