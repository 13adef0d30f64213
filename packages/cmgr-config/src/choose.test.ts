import { describe, expect, it } from 'vitest';
import { chooseRange, portsInRange } from './choose.js';

const grid = { base: 9000, size: 100 };
const at = (name: string, start: number) => ({ name, range: { start, end: start + 99 } });

describe('chooseRange', () => {
  it('default grid: skips taken and held ranges', () => {
    expect(chooseRange({ taken: [at('a', 9000)], grid, explicit: false }).range.start).toBe(9100);
    const skip = [{ start: 9100, end: 9199 }];
    expect(chooseRange({ taken: [at('a', 9000)], grid, explicit: false, skip }).range.start).toBe(9200);
  });
  it('explicit grid: a held slot is skipped, an overlapping instance is a conflict', () => {
    const skip = [{ start: 9000, end: 9099 }];
    expect(chooseRange({ taken: [], grid, explicit: true, skip })).toEqual({
      range: { start: 9100, end: 9199 },
    });
    const chosen = chooseRange({ taken: [at('w', 9050)], grid, explicit: true });
    expect(chosen.conflict?.name).toBe('w');
  });
});

describe('portsInRange', () => {
  it('each offset once, inside the range', () => {
    expect(portsInRange({ start: 9000, end: 9099 }, [30, 10, 10, 150])).toEqual([9010, 9030]);
  });
});
