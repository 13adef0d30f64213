import { firstFreeSlot, instanceRange, type PortRange, type ResolvedRangeOptions } from './range.js';
import { type Allocation, gridSlot } from './slots.js';

/** What {@link chooseRange} decides from. */
export interface RangeChoice {
  /** Ranges other instances hold (and entries of the older tool's port registry). */
  readonly taken: readonly Allocation[];
  /** The grid: `parsePortEnv(env)`. */
  readonly grid: ResolvedRangeOptions;
  /** Whether the user set `MCP_BASE_PORT` or `MCP_PORT_RANGE` (then an overlap is refused, not skipped). */
  readonly explicit: boolean;
  /** Ranges to pass over because another process holds one of the ports the instance would use. */
  readonly skip?: readonly PortRange[];
}

/** The range chosen, or the allocation that blocks the user's explicit grid and a base free of it. */
export type ChosenRange =
  | { readonly range: PortRange; readonly conflict?: undefined }
  | { readonly range: PortRange; readonly conflict: Allocation; readonly freeBase: number | undefined };

/**
 * The range for a new (or moved) instance. With the default grid: the first slot overlapping nothing
 * taken and no skipped range. With an explicit grid: the first slot no instance holds exactly and not
 * skipped; when it overlaps another instance's range, that instance is returned as `conflict`, so the
 * caller refuses rather than hand out ports the user did not ask for.
 *
 * Range choice is a loop with the caller: probe the ports the chosen range would use, and when another
 * process holds one, call again with that range in `skip`.
 *
 * @throws {@link CmgrConfigError} `ESLOTSEXHAUSTED` when no slot is left.
 * @example
 * ```ts
 * const grid = { base: 9000, size: 100 };
 * chooseRange({ taken: [], grid, explicit: false, skip: [{ start: 9000, end: 9099 }] }).range;
 * // { start: 9100, end: 9199 }
 * ```
 */
export function chooseRange(choice: RangeChoice): ChosenRange {
  const skip = choice.skip ?? [];
  if (!choice.explicit) {
    const slot = firstFreeSlot([...choice.taken.map((other) => other.range), ...skip], choice.grid);
    return { range: instanceRange(slot, choice.grid) };
  }
  // An exact match counts as held on an explicit grid; a skipped range is one of its own slots.
  const held = skip.map((range) => ({ name: '', range }));
  const pick = gridSlot([...choice.taken, ...held], choice.grid);
  if (pick.conflict === undefined || pick.conflict.name === '') return { range: pick.range };
  return { range: pick.range, conflict: pick.conflict, freeBase: pick.freeBase };
}

/** The ports an instance with these offsets uses in `range`: each offset's port, sorted, once each. */
export function portsInRange(range: PortRange, offsets: Iterable<number>): number[] {
  const ports = new Set<number>();
  for (const offset of offsets) if (range.start + offset <= range.end) ports.add(range.start + offset);
  return [...ports].sort((a, b) => a - b);
}
