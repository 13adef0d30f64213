import { describe, expect, it } from 'vitest';
import { ProbeError } from './errors.js';
import { findFreePort } from './find-free-port.js';
import { isPortInUse } from './is-port-in-use.js';
import { portHolders } from './port-holders.js';

async function rejection(promise: Promise<unknown>): Promise<ProbeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProbeError);
  return error as ProbeError;
}

describe('input validation', () => {
  it.each([0, -1, 65536, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '8080', null, undefined])(
    'rejects port %s with EINVALIDPORT naming the value, for all three functions',
    async (bad) => {
      for (const call of [
        () => isPortInUse(bad as number),
        () => portHolders(bad as number),
        () => findFreePort({ range: [bad as number, 9000] }),
      ]) {
        const error = await rejection(call());
        expect(error.code).toBe('EINVALIDPORT');
        expect(error.name).toBe('ProbeError');
        expect(error.message).toContain(typeof bad === 'string' ? JSON.stringify(bad) : String(bad));
      }
    },
  );

  it('rejects a reversed range, naming both ends', async () => {
    const error = await rejection(findFreePort({ range: [9001, 9000] }));
    expect(error.code).toBe('EINVALIDPORT');
    expect(error.message).toMatch(/9001.*9000/);
  });

  it('rejects a malformed range and a bad range end', async () => {
    const malformed = await rejection(findFreePort({ range: [9000] as unknown as [number, number] }));
    expect(malformed.code).toBe('EINVALIDPORT');
    expect(malformed.message).toContain('[9000]');
    const badEnd = await rejection(findFreePort({ range: [9000, 70000] }));
    expect(badEnd.message).toContain('range end');
    expect(badEnd.message).toContain('70000');
    expect((await rejection(findFreePort(undefined as never))).code).toBe('EINVALIDOPTION');
  });

  it('rejects bad exclude entries and bad options, naming them', async () => {
    const entry = await rejection(findFreePort({ range: [9000, 9001], exclude: [9000, 0.5] }));
    expect(entry.code).toBe('EINVALIDPORT');
    expect(entry.message).toContain('exclude');
    expect(entry.message).toContain('0.5');
    const notIterable = await rejection(findFreePort({ range: [9000, 9001], exclude: 9000 as never }));
    expect(notIterable.code).toBe('EINVALIDOPTION');
    const host = await rejection(isPortInUse(9000, { host: '' }));
    expect(host.code).toBe('EINVALIDOPTION');
    expect(host.message).toContain('options.host');
    const signal = await rejection(isPortInUse(9000, { signal: {} as AbortSignal }));
    expect(signal.message).toContain('options.signal');
  });
});
