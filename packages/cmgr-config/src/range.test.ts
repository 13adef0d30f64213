import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catchError } from '../test/catch-error.js';
import {
  firstFreeSlot,
  formatRange,
  instanceRange,
  MAX_PORT,
  parsePortEnv,
  rangesOverlap,
  resolveRangeOptions,
  slotForBase,
} from './range.js';

describe('instanceRange', () => {
  it('numbers slots from 1: slot 1 is 9000-9099, slot 2 is 9100-9199', () => {
    expect(instanceRange(1)).toEqual({ start: 9000, end: 9099 });
    expect(instanceRange(2)).toEqual({ start: 9100, end: 9199 });
    expect(instanceRange(3, { base: 20000, size: 250 })).toEqual({ start: 20500, end: 20749 });
  });

  it('allows the last range that ends exactly at 65535', () => {
    expect(instanceRange(1, { base: 65436 })).toEqual({ start: 65436, end: 65535 });
    // (65535 - 9000 + 1) / 100 = 565.36: slot 565 ends at 65499, slot 566 would end at 65599.
    expect(instanceRange(565)).toEqual({ start: 65400, end: 65499 });
    const error = catchError(() => instanceRange(566));
    expect(error.code).toBe('ERANGEOVERFLOW');
    expect(error.message).toContain('566');
    expect(error.message).toContain('65599');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects slot %s naming it', (slot) => {
    const error = catchError(() => instanceRange(slot));
    expect(error.code).toBe('EINVALIDOPTION');
    expect(error.message).toContain('slot');
  });

  it('rejects a numeric-looking name used as a slot before it can push ports past 65535', () => {
    // The shell tool read instance "12345" as slot 12345; here that is an error, never a port 1243500.
    expect(catchError(() => instanceRange(12345)).code).toBe('ERANGEOVERFLOW');
  });

  it.each([
    [{ base: 0 }, 'base', '0'],
    [{ base: 65536 }, 'base', '65536'],
    [{ base: 9000.5 }, 'base', '9000.5'],
    [{ size: 99 }, 'size', '99'],
    [{ size: 100.5 }, 'size', '100.5'],
  ])('rejects options %j naming %s', (options, option, value) => {
    const error = catchError(() => instanceRange(1, options));
    expect(error.code).toBe('EINVALIDOPTION');
    expect(error.message).toContain(`option ${option}`);
    expect(error.message).toContain(value);
  });

  it('rejects a first range that would pass 65535', () => {
    expect(catchError(() => resolveRangeOptions({ base: 65500 })).code).toBe('ERANGEOVERFLOW');
  });

  it('gives every valid slot a range inside 1..65535 that overlaps no other slot (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60000 }),
        fc.integer({ min: 100, max: 5000 }),
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 1, max: 700 }),
        (base, size, a, b) => {
          const slots = [a, b].map((slot) => {
            try {
              return instanceRange(slot, { base, size });
            } catch (error) {
              if ((error as { code?: string }).code === 'ERANGEOVERFLOW') return undefined;
              throw error;
            }
          });
          for (const range of slots) {
            if (!range) continue;
            expect(range.start).toBeGreaterThanOrEqual(1);
            expect(range.end).toBeLessThanOrEqual(MAX_PORT);
            expect(range.end - range.start + 1).toBe(size);
          }
          if (slots[0] && slots[1]) expect(rangesOverlap(slots[0], slots[1])).toBe(a === b);
        },
      ),
    );
  });
});

describe('rangesOverlap', () => {
  it('treats ranges as inclusive on both ends', () => {
    expect(rangesOverlap({ start: 9000, end: 9099 }, { start: 9099, end: 9198 })).toBe(true);
    expect(rangesOverlap({ start: 9000, end: 9099 }, { start: 9100, end: 9199 })).toBe(false);
    expect(rangesOverlap({ start: 9100, end: 9199 }, { start: 9000, end: 9099 })).toBe(false);
    expect(rangesOverlap({ start: 9000, end: 9999 }, { start: 9500, end: 9599 })).toBe(true);
  });
});

describe('firstFreeSlot', () => {
  it('starts at 1 and takes the lowest free slot, so a removed instance frees its slot', () => {
    expect(firstFreeSlot([])).toBe(1);
    expect(firstFreeSlot([1, 2, 3])).toBe(4);
    expect(firstFreeSlot([1, 3])).toBe(2);
    expect(firstFreeSlot([instanceRange(1), instanceRange(3)])).toBe(2);
  });

  it('skips slots that overlap a range recorded under another base', () => {
    // An instance created with MCP_BASE_PORT=9050 keeps 9050-9149: slots 1 and 2 of the 9000 grid overlap it.
    expect(firstFreeSlot([{ start: 9050, end: 9149 }])).toBe(3);
  });

  it('throws ESLOTSEXHAUSTED when no slot fits below 65536', () => {
    const taken = Array.from({ length: 5 }, (_, index) => index + 1);
    expect(firstFreeSlot(taken.slice(0, 4), { base: 65036 })).toBe(5);
    const error = catchError(() => firstFreeSlot(taken, { base: 65036 }));
    expect(error.code).toBe('ESLOTSEXHAUSTED');
  });

  it('returns a slot overlapping none of the taken ranges (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 30 }), (slots) => {
        const slot = firstFreeSlot(slots);
        expect(slots).not.toContain(slot);
        for (let lower = 1; lower < slot; lower += 1) expect(slots).toContain(lower);
      }),
    );
  });
});

describe('slotForBase', () => {
  it('maps a range start back to its slot, or undefined off the grid', () => {
    expect(slotForBase(9000)).toBe(1);
    expect(slotForBase(9200)).toBe(3);
    expect(slotForBase(9050)).toBeUndefined();
    expect(slotForBase(8900)).toBeUndefined();
    expect(slotForBase(20400, { base: 20000, size: 200 })).toBe(3);
  });
});

describe('formatRange', () => {
  it('writes inclusive start and end joined by a hyphen', () => {
    expect(formatRange(instanceRange(1))).toBe('9000-9099');
  });
});

describe('parsePortEnv', () => {
  it('defaults unset and empty variables', () => {
    expect(parsePortEnv({})).toEqual({ base: 9000, size: 100 });
    expect(parsePortEnv({ MCP_BASE_PORT: '', MCP_PORT_RANGE: '' })).toEqual({ base: 9000, size: 100 });
  });

  it('reads whole numbers', () => {
    expect(parsePortEnv({ MCP_BASE_PORT: '20000', MCP_PORT_RANGE: '200' })).toEqual({
      base: 20000,
      size: 200,
    });
    expect(parsePortEnv({ MCP_BASE_PORT: '65436' })).toEqual({ base: 65436, size: 100 });
  });

  it.each([
    ['MCP_BASE_PORT', 'abc'],
    ['MCP_BASE_PORT', '70000'],
    ['MCP_BASE_PORT', '0'],
    ['MCP_BASE_PORT', '-1'],
    ['MCP_BASE_PORT', ' 9000'],
    ['MCP_BASE_PORT', '9e3'],
    ['MCP_BASE_PORT', '0x2328'],
    ['MCP_BASE_PORT', '9000.0'],
    ['MCP_PORT_RANGE', '99'],
    ['MCP_PORT_RANGE', '9000-9099'],
    ['MCP_PORT_RANGE', 'many'],
    ['MCP_PORT_RANGE', '99999999999999999999999'],
  ])('rejects %s=%j naming the variable and value', (name, value) => {
    const error = catchError(() => parsePortEnv({ [name]: value }));
    expect(error.code).toBe('EINVALIDPORTENV');
    expect(error.message).toContain(name);
    expect(error.message).toContain(JSON.stringify(value));
  });

  it('rejects a base and size whose range passes 65535, naming both', () => {
    const error = catchError(() => parsePortEnv({ MCP_BASE_PORT: '65500', MCP_PORT_RANGE: '100' }));
    expect(error.code).toBe('EINVALIDPORTENV');
    expect(error.message).toContain('MCP_BASE_PORT=65500');
    expect(error.message).toContain('MCP_PORT_RANGE=100');
  });
});
