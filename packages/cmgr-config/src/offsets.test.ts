import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchError } from '../test/catch-error.js';
import { assignOffsets, type OffsetRequest, stableHash } from './offsets.js';
import { KNOWN_TOOLS, recogniseTool } from './tools.js';

const KNOWN_OFFSETS = KNOWN_TOOLS.map((tool) => tool.offset);
const request = (server: string, args: string[] = []): OffsetRequest => ({
  server,
  tool: recogniseTool(server, { args }),
});
const assign = (requests: OffsetRequest[], recorded: Record<string, number> = {}) =>
  Object.fromEntries(assignOffsets(requests, recorded, KNOWN_TOOLS));

describe('assignOffsets', () => {
  it('gives known tools their fixed offsets', () => {
    const names = [
      'filesystem',
      'sequential-thinking',
      'memory',
      'desktop-commander',
      'repl',
      'playwright-mcp-server',
    ];
    expect(assign(names.map((name) => request(name)))).toEqual({
      filesystem: 10,
      'sequential-thinking': 20,
      memory: 30,
      'desktop-commander': 40,
      repl: 50,
      'playwright-mcp-server': 60,
    });
  });

  it('keeps other tools off every known offset, configured or not (postgres never lands on 20)', () => {
    const names = Array.from({ length: 84 }, (_, index) => `tool-${index}`);
    const offsets = assign(names.map((name) => request(name)));
    const values = Object.values(offsets);
    expect(new Set(values).size).toBe(84);
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(10);
      expect(value).toBeLessThanOrEqual(99);
      expect(KNOWN_OFFSETS).not.toContain(value);
    }
  });

  it('places another tool at its hashed preference when free, else the next free offset', () => {
    const preferred = 10 + (stableHash('postgres') % 90);
    const alone = assign([request('postgres')]).postgres;
    expect(alone).toBe(KNOWN_OFFSETS.includes(preferred) ? preferred + 1 : preferred);
    // Something else recorded at that offset pushes postgres to the next free one.
    const pushed = assign([request('postgres'), request('other')], { other: alone! }).postgres;
    expect(pushed).not.toBe(alone);
    expect(pushed).toBe(alone === 99 ? 11 : KNOWN_OFFSETS.includes(alone! + 1) ? alone! + 2 : alone! + 1);
  });

  it('wraps from 99 back to the low offsets when probing', () => {
    // Everything from 12 up is taken: a server preferring a higher offset must wrap past 99 to 11 (10 is known).
    const late = ['late', 'later', 'latest', 'last'].find((name) => 10 + (stableHash(name) % 90) > 11)!;
    const recorded: Record<string, number> = {};
    for (let offset = 12; offset <= 99; offset += 1)
      if (!KNOWN_OFFSETS.includes(offset)) recorded[`r${offset}`] = offset;
    const requests = [...Object.keys(recorded).map((name) => request(name)), request(late)];
    expect(assign(requests, recorded)[late]).toBe(11);
  });

  it('honours recorded offsets so a tool never moves when others come and go', () => {
    const first = assign([request('postgres'), request('redis')]);
    const later = assign([request('redis'), request('aaa'), request('zzz'), request('postgres')], first);
    expect(later.postgres).toBe(first.postgres);
    expect(later.redis).toBe(first.redis);
  });

  it('keeps the offset recorded for a server not configured now, so a newcomer never has to move', () => {
    const alone = assign([request('newcomer')]).newcomer as number;
    const meanwhile = assign([request('newcomer')], { gone: alone });
    expect(meanwhile.newcomer).not.toBe(alone);
    const back = assign([request('gone'), request('newcomer')], { gone: alone, ...meanwhile });
    expect(back).toEqual({ gone: alone, newcomer: meanwhile.newcomer });
  });

  it("still gives away an absent server's offset when no other is free", () => {
    const capacity = 90 - KNOWN_OFFSETS.length;
    const names = Array.from({ length: capacity }, (_, index) => `tool-${String(index).padStart(2, '0')}`);
    const full = assign(names.map((name) => request(name)));
    const gone = full['tool-00'] as number;
    const offsets = assign(
      names.map((name) => request(name === 'tool-00' ? 'newcomer' : name)),
      Object.fromEntries(
        Object.entries(full).map(([name, offset]) => [name === 'tool-00' ? 'gone' : name, offset]),
      ),
    );
    expect(offsets.newcomer).toBe(gone);
  });

  it('re-places a recorded offset that is a known tool offset or already taken', () => {
    const offsets = assign([request('postgres'), request('a'), request('b')], { postgres: 20, a: 77, b: 77 });
    expect(offsets.postgres).not.toBe(20);
    expect(offsets.a).toBe(77);
    expect(offsets.b).not.toBe(77);
  });

  it('gives a known tool run twice its offset once: the recorded holder, else the one named after it', () => {
    const fs = ['@modelcontextprotocol/server-filesystem'];
    const named = assign([request('a-files', fs), request('filesystem', fs)]);
    expect(named.filesystem).toBe(10);
    expect(named['a-files']).not.toBe(10);
    expect(KNOWN_OFFSETS).not.toContain(named['a-files']);
    const recorded = assign([request('a-files', fs), request('filesystem', fs)], { 'a-files': 10 });
    expect(recorded['a-files']).toBe(10);
    expect(recorded.filesystem).not.toBe(10);
    const neither = assign([request('work-files', fs), request('home-files', fs)]);
    expect(neither['home-files']).toBe(10);
  });

  it('throws EOFFSETSEXHAUSTED naming the server when offsets run out', () => {
    const names = Array.from({ length: 85 }, (_, index) => `tool-${String(index).padStart(2, '0')}`);
    const error = catchError(() => assign(names.map((name) => request(name))));
    expect(error.code).toBe('EOFFSETSEXHAUSTED');
    expect(error.message).toMatch(/"tool-\d\d"/);
  });

  it.each([{ x: 9 }, { x: 100 }, { x: 12.5 }, { x: '12' }])(
    'rejects a recorded map %j naming the entry',
    (recorded) => {
      const error = catchError(() => assign([request('x')], recorded as Record<string, number>));
      expect(error.code).toBe('EINVALIDOPTION');
      expect(error.message).toContain('"x"');
    },
  );

  it('is distinct, in bounds, independent of input order and stable given its own output (property)', () => {
    const name = fc.oneof(
      fc.constantFrom('filesystem', 'memory', 'repl', 'postgres', 'Memory', 'github'),
      fc.string({ minLength: 1, maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 40 }), (names) => {
        const requests = names.map((server) => request(server));
        const offsets = assign(requests);
        const values = Object.values(offsets);
        expect(new Set(values).size).toBe(names.length);
        for (const value of values) expect(value >= 10 && value <= 99).toBe(true);
        expect(assign([...requests].reverse())).toEqual(offsets);
        expect(assign(requests, offsets)).toEqual(offsets);
        // Removing a server moves no one else, except a second copy of a known tool taking the fixed
        // offset its first copy left.
        if (requests.length > 1) {
          const fewer = assign(requests.slice(1), offsets);
          for (const [server, offset] of Object.entries(fewer)) {
            if (offset !== offsets[server]) expect(offset).toBe(offsets[requests[0]!.server]);
            if (offset !== offsets[server]) expect(KNOWN_OFFSETS).toContain(offset);
          }
        }
      }),
    );
  });
});

describe('stableHash', () => {
  it('is FNV-1a: fixed values that must never change, or every recorded preference would shift', () => {
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('a')).toBe(0xe40c292c);
    expect(stableHash('foobar')).toBe(0xbf9cf968);
  });
});
