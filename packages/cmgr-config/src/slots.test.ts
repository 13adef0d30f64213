import { describe, expect, it } from 'vitest';
import { catchError } from '../test/catch-error.js';
import { gridSlot } from './slots.js';

const at = (name: string, start: number, size = 100) => ({ name, range: { start, end: start + size - 1 } });

describe('gridSlot', () => {
  it('numbers slots from the given base and takes the first whose exact range nobody holds', () => {
    expect(gridSlot([], { base: 20000 })).toEqual({
      slot: 1,
      range: { start: 20000, end: 20099 },
      conflict: undefined,
      freeBase: undefined,
    });
    const taken = [at('a', 20000), at('b', 20100), at('c', 20300)];
    expect(gridSlot(taken, { base: 20000 })).toMatchObject({
      slot: 3,
      range: { start: 20200 },
      conflict: undefined,
    });
    // The default grid behaves like first-free slots.
    expect(gridSlot([at('a', 9000), at('c', 9200)]).range.start).toBe(9100);
  });

  it('reports, rather than skips, a slot that overlaps a range given under another base or size', () => {
    const a = at('a', 9000);
    const shifted = gridSlot([a], { base: 9050 });
    expect(shifted).toMatchObject({
      slot: 1,
      range: { start: 9050, end: 9149 },
      conflict: a,
      freeBase: 9100,
    });
    // Slot 1 of a wider grid is not "held" by a 100-port instance at the same start: it overlaps it.
    const wide = gridSlot([a, at('b', 9100)], { base: 9000, size: 200 });
    expect(wide).toMatchObject({ slot: 1, range: { start: 9000, end: 9199 }, conflict: a, freeBase: 9200 });
    // A later slot can overlap too.
    const odd = at('odd', 9150);
    expect(gridSlot([a, odd], { base: 9000 })).toMatchObject({ slot: 2, conflict: odd, freeBase: 9250 });
  });

  it('has no free base to suggest when nothing fits below 65536', () => {
    const top = at('top', 65400);
    expect(gridSlot([top], { base: 65350 })).toMatchObject({ conflict: top, freeBase: undefined });
  });

  it('throws ESLOTSEXHAUSTED when every slot of the grid is held', () => {
    const taken = [at('x', 65300), at('y', 65400)];
    expect(catchError(() => gridSlot(taken, { base: 65300 })).code).toBe('ESLOTSEXHAUSTED');
  });
});
