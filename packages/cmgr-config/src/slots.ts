import { CmgrConfigError } from './errors.js';
import { MAX_PORT, type PortRange, type RangeOptions, rangesOverlap, resolveRangeOptions } from './range.js';

/** A range already given to an instance, by name, so a refusal can say whose it is. */
export interface Allocation {
  readonly name: string;
  readonly range: PortRange;
}

/** What {@link gridSlot} found. */
export interface GridSlot {
  /** 1-based slot on the grid of the options. */
  readonly slot: number;
  readonly range: PortRange;
  /** The first allocation the slot's range overlaps; the caller refuses the slot when there is one. */
  readonly conflict: Allocation | undefined;
  /**
   * With a conflict: the lowest base at or above the grid's base where a range of this size overlaps
   * nothing, to suggest as `MCP_BASE_PORT`; `undefined` when there is none below port 65536.
   */
  readonly freeBase: number | undefined;
}

/**
 * The slot for a new instance on a grid the user chose explicitly (`MCP_BASE_PORT` / `MCP_PORT_RANGE`
 * set): the lowest slot whose exact range (same start and size) no allocation holds. Unlike
 * {@link firstFreeSlot}, a slot that merely overlaps another allocation (one made under another base or
 * size) is not skipped: it is returned with that allocation as `conflict`, so the caller can refuse rather
 * than hand out ports the user did not ask for.
 *
 * @throws {@link CmgrConfigError} `ESLOTSEXHAUSTED` when every slot below port 65536 is held.
 * @example
 * ```ts source="./index.examples.ts#gridSlot"
 * const a = { name: 'a', range: { start: 9000, end: 9099 } };
 * gridSlot([a], { base: 9000 }); // { slot: 2, range: { start: 9100, end: 9199 }, conflict: undefined, ... }
 * gridSlot([a], { base: 9050 }).conflict; // a: 9050-9149 overlaps 9000-9099
 * ```
 */
export function gridSlot(taken: readonly Allocation[], options?: RangeOptions): GridSlot {
  const { base, size } = resolveRangeOptions(options);
  for (let slot = 1; ; slot += 1) {
    const start = base + (slot - 1) * size;
    const range = { start, end: start + size - 1 };
    if (range.end > MAX_PORT) break;
    if (taken.some((other) => other.range.start === start && other.range.end === range.end)) continue;
    const conflict = taken.find((other) => rangesOverlap(other.range, range));
    return {
      slot,
      range,
      conflict,
      freeBase: conflict ? freeBaseFrom(taken, base, size) : undefined,
    };
  }
  throw new CmgrConfigError(
    'ESLOTSEXHAUSTED',
    `every slot of ${size} ports from ${base} below port ${MAX_PORT + 1} is taken: remove an instance or choose another MCP_BASE_PORT`,
  );
}

function freeBaseFrom(taken: readonly Allocation[], from: number, size: number): number | undefined {
  let start = from;
  while (start + size - 1 <= MAX_PORT) {
    const range = { start, end: start + size - 1 };
    const blocking = taken.filter((other) => rangesOverlap(other.range, range));
    if (blocking.length === 0) return start;
    start = Math.max(...blocking.map((other) => other.range.end)) + 1;
  }
  return undefined;
}
