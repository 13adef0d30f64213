import { describe, expect, it } from 'vitest';
import { LockError } from './errors.js';
import { DEFAULTS, resolveOptions } from './options.js';

describe('resolveOptions', () => {
  it('applies the defaults', () => {
    const resolved = resolveOptions('/tmp/x.lock', undefined);
    expect(resolved).toMatchObject({ staleMs: DEFAULTS.staleMs, timeoutMs: DEFAULTS.timeoutMs });
    expect(resolved.refreshMs).toBe(Math.floor(DEFAULTS.staleMs / 3));
  });

  it('accepts timeoutMs 0 (try once) and Infinity (wait forever)', () => {
    expect(resolveOptions('/x', { timeoutMs: 0 }).timeoutMs).toBe(0);
    expect(resolveOptions('/x', { timeoutMs: Number.POSITIVE_INFINITY }).timeoutMs).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it.each([
    ['staleMs', { staleMs: -1 }, /option staleMs must be a positive finite number, got -1/],
    ['bypassMs', { bypassMs: -1 }, /option bypassMs must be a number of ms from 0 to staleMs/],
    ['bypassMs', { staleMs: 100, bypassMs: 200 }, /option bypassMs .* got 200/],
    ['staleMs', { staleMs: Number.NaN }, /option staleMs .* got NaN/],
    ['staleMs', { staleMs: 1 }, /option staleMs must be from 2 to 2147483647 ms, got 1/],
    ['staleMs', { staleMs: 7e9 }, /option staleMs must be from 2 to 2147483647 ms, got 7000000000/],
    ['bypassMs', { bypassMs: null }, /option bypassMs .* got null/],
    ['timeoutMs', { timeoutMs: '5' }, /option timeoutMs must be a positive number or Infinity, got "5"/],
    [
      'refreshMs',
      { staleMs: 100, refreshMs: 100 },
      /option refreshMs must be below staleMs \(100\), got 100/,
    ],
    ['signal', { signal: {} }, /option signal must be an AbortSignal/],
    ['onCompromised', { onCompromised: 1 }, /option onCompromised must be a function, got 1/],
    ['onStaleLock', { onStaleLock: 'x' }, /option onStaleLock must be a function/],
  ])('rejects a bad %s, naming it and the value', (_name, options, message) => {
    expect(() => resolveOptions('/x', options as never)).toThrow(message);
    try {
      resolveOptions('/x', options as never);
    } catch (error) {
      expect(error).toBeInstanceOf(LockError);
      expect((error as LockError).code).toBe('EINVALIDOPTION');
    }
  });

  it('rejects an empty path', () => {
    expect(() => resolveOptions('', undefined)).toThrow(/option path must be a non-empty file path/);
  });
});
