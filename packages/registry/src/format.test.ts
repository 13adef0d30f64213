import { describe, expect, it } from 'vitest';
import { entryProblem, parseRegistry, serializeRegistry } from './format.js';

const entry = { port: 8765, instanceId: 'a', pid: 10, createdAt: 1, lastHeartbeat: 2 };

describe('parseRegistry', () => {
  it('reads the design format and keeps unknown fields', () => {
    const parsed = parseRegistry(JSON.stringify({ owner: 'x', instances: [{ ...entry, color: 'red' }] }));
    expect(parsed).toEqual({
      instances: [{ ...entry, color: 'red' }],
      otherFields: { owner: 'x' },
      invalid: [],
    });
  });

  it('treats an empty file as an empty registry', () => {
    expect(parseRegistry('  \n')).toEqual({ instances: [], otherFields: {}, invalid: [] });
  });

  it.each([
    ['{"instances": [', /not valid JSON/],
    ['null', /its top level is null/],
    ['[]', /an array/],
    ['42', /number/],
    ['{}', /no "instances" array/],
    ['{"instances": {}}', /no "instances" array/],
  ])('calls %s corrupt', (text, reason) => {
    const parsed = parseRegistry(text);
    expect('corrupt' in parsed && parsed.corrupt).toMatch(reason);
  });

  it('drops entries of the wrong shape and says which', () => {
    const parsed = parseRegistry(
      JSON.stringify({
        instances: [
          entry,
          { ...entry, port: '8766' },
          null,
          { ...entry, pid: -1 },
          { ...entry, instanceId: '' },
        ],
      }),
    );
    if ('corrupt' in parsed) throw new Error('unexpected');
    expect(parsed.instances).toEqual([entry]);
    expect(parsed.invalid).toHaveLength(4);
    expect(parsed.invalid[0]).toMatch(/instances\[1\] has port "8766"/);
  });
});

describe('entryProblem', () => {
  it.each([
    [{ ...entry, port: 0 }],
    [{ ...entry, port: 70000 }],
    [{ ...entry, port: 1.5 }],
    [{ ...entry, createdAt: 'now' }],
    [{ ...entry, lastHeartbeat: Number.NaN }],
    [{ ...entry, pid: 1.2 }],
    ['entry'],
  ])('rejects %j', (value) => {
    expect(entryProblem(value)).toBeTypeOf('string');
  });
});

describe('serializeRegistry', () => {
  it('sorts by port, stamps the version and round-trips', () => {
    const text = serializeRegistry({
      instances: [{ ...entry, port: 9000 }, entry],
      otherFields: { owner: 'x' },
    });
    const parsed = parseRegistry(text);
    if ('corrupt' in parsed) throw new Error('unexpected');
    expect(parsed.instances.map((e) => e.port)).toEqual([8765, 9000]);
    expect(parsed.otherFields).toEqual({ owner: 'x', version: 1 });
  });
});
