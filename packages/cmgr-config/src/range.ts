import { CmgrConfigError, show } from './errors.js';

/** First port of slot 1 unless told otherwise. */
export const DEFAULT_BASE_PORT = 9000;
/** Ports per instance unless told otherwise; also the smallest size allowed, so every offset (+10..+99) fits. */
export const DEFAULT_RANGE_SIZE = 100;
/** The highest TCP port. */
export const MAX_PORT = 65535;

/** An inclusive range of ports: `{ start: 9000, end: 9099 }` holds 100 ports. */
export interface PortRange {
  readonly start: number;
  readonly end: number;
}

/** Where the grid of instance ranges starts and how wide each range is. */
export interface RangeOptions {
  /** First port of slot 1. Default {@link DEFAULT_BASE_PORT}. */
  readonly base?: number;
  /** Ports per instance, at least 100. Default {@link DEFAULT_RANGE_SIZE}. */
  readonly size?: number;
}

/** {@link RangeOptions} with the defaults filled in and checked. */
export interface ResolvedRangeOptions {
  readonly base: number;
  readonly size: number;
}

/**
 * Fills in the defaults of {@link RangeOptions} and checks them once: `base` an integer port, `size` an
 * integer of at least 100, and the first range within 65535.
 *
 * @throws {@link CmgrConfigError} `EINVALIDOPTION` naming the option and its value, or `ERANGEOVERFLOW`.
 */
export function resolveRangeOptions(options: RangeOptions = {}): ResolvedRangeOptions {
  const base = options.base ?? DEFAULT_BASE_PORT;
  const size = options.size ?? DEFAULT_RANGE_SIZE;
  if (!Number.isInteger(base) || base < 1 || base > MAX_PORT) {
    throw new CmgrConfigError(
      'EINVALIDOPTION',
      `option base must be an integer port 1-65535, got ${show(base)}`,
    );
  }
  if (!Number.isInteger(size) || size < DEFAULT_RANGE_SIZE) {
    throw new CmgrConfigError(
      'EINVALIDOPTION',
      `option size must be an integer of at least ${DEFAULT_RANGE_SIZE} so every tool offset fits, got ${show(size)}`,
    );
  }
  if (base + size - 1 > MAX_PORT) {
    throw new CmgrConfigError(
      'ERANGEOVERFLOW',
      `base ${base} with size ${size} ends at ${base + size - 1}, past port ${MAX_PORT}: lower the base or the size`,
    );
  }
  return { base, size };
}

/**
 * The ports of an instance slot. Slots are 1-based, as in "instance 1: 9000-9099": slot 1 starts at `base`,
 * slot n at `base + (n - 1) * size`.
 *
 * @throws {@link CmgrConfigError} `EINVALIDOPTION` for a slot that is not a positive integer or bad options;
 * `ERANGEOVERFLOW` when the range would pass port 65535.
 * @example
 * ```ts source="./index.examples.ts#instanceRange"
 * instanceRange(1); // { start: 9000, end: 9099 }
 * instanceRange(2); // { start: 9100, end: 9199 }
 * instanceRange(1, { base: 20000, size: 200 }); // { start: 20000, end: 20199 }
 * ```
 */
export function instanceRange(slot: number, options?: RangeOptions): PortRange {
  const { base, size } = resolveRangeOptions(options);
  if (!Number.isInteger(slot) || slot < 1) {
    throw new CmgrConfigError('EINVALIDOPTION', `slot must be an integer of at least 1, got ${show(slot)}`);
  }
  const start = base + (slot - 1) * size;
  const end = start + size - 1;
  if (end > MAX_PORT) {
    throw new CmgrConfigError(
      'ERANGEOVERFLOW',
      `slot ${slot} would use ports ${start}-${end}, past port ${MAX_PORT}: free a slot or lower the base`,
    );
  }
  return { start, end };
}

/** Whether two inclusive port ranges share at least one port. */
export function rangesOverlap(a: PortRange, b: PortRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/**
 * The lowest slot whose range overlaps none of `taken`: removing an instance frees its slot for the next
 * one. `taken` holds the ranges already allocated (their recorded bases may come from another grid, for
 * example after `MCP_BASE_PORT` changed) or slot numbers of this grid.
 *
 * @throws {@link CmgrConfigError} `ESLOTSEXHAUSTED` when every slot below port 65536 overlaps something.
 * @example
 * ```ts source="./index.examples.ts#firstFreeSlot"
 * firstFreeSlot([]); // 1
 * firstFreeSlot([
 *   { start: 9000, end: 9099 },
 *   { start: 9200, end: 9299 },
 * ]); // 2
 * firstFreeSlot([1, 2]); // 3
 * ```
 */
export function firstFreeSlot(taken: Iterable<number | PortRange>, options?: RangeOptions): number {
  const resolved = resolveRangeOptions(options);
  const ranges = [...taken].map((entry) =>
    typeof entry === 'number' ? instanceRange(entry, resolved) : entry,
  );
  for (let slot = 1; ; slot += 1) {
    const start = resolved.base + (slot - 1) * resolved.size;
    const candidate = { start, end: start + resolved.size - 1 };
    if (candidate.end > MAX_PORT) break;
    if (!ranges.some((range) => rangesOverlap(range, candidate))) return slot;
  }
  throw new CmgrConfigError(
    'ESLOTSEXHAUSTED',
    `no free slot of ${resolved.size} ports from ${resolved.base} below port ${MAX_PORT + 1}: remove an instance first`,
  );
}

/**
 * The slot whose range starts at `start`, or `undefined` when `start` is not on the grid of `options`
 * (an allocation recorded under another base or size).
 */
export function slotForBase(start: number, options?: RangeOptions): number | undefined {
  const { base, size } = resolveRangeOptions(options);
  if (!Number.isInteger(start) || start < base || (start - base) % size !== 0) return undefined;
  return (start - base) / size + 1;
}

/** A range for people to read: inclusive start and end joined by a hyphen, `"9000-9099"`. */
export function formatRange(range: PortRange): string {
  return `${range.start}-${range.end}`;
}

/** The environment variables that move the grid: both optional strings, as found in `process.env`. */
export interface PortEnv {
  readonly MCP_BASE_PORT?: string | undefined;
  readonly MCP_PORT_RANGE?: string | undefined;
}

/**
 * Reads the grid from `MCP_BASE_PORT` (first port of slot 1) and `MCP_PORT_RANGE` (ports per instance, an
 * integer, the same meaning cmgr gives it in the environment of the servers and instances it starts). Unset
 * or empty means the default.
 *
 * @throws {@link CmgrConfigError} `EINVALIDPORTENV` naming the variable and its value.
 * @example
 * ```ts source="./index.examples.ts#parsePortEnv"
 * parsePortEnv(process.env); // { base: 9000, size: 100 } when neither is set
 * parsePortEnv({ MCP_BASE_PORT: '20000', MCP_PORT_RANGE: '200' }); // { base: 20000, size: 200 }
 * ```
 */
export function parsePortEnv(env: PortEnv): ResolvedRangeOptions {
  const base = readInteger(env, 'MCP_BASE_PORT', DEFAULT_BASE_PORT);
  const size = readInteger(env, 'MCP_PORT_RANGE', DEFAULT_RANGE_SIZE);
  if (base < 1 || base > MAX_PORT) {
    throw new CmgrConfigError(
      'EINVALIDPORTENV',
      `MCP_BASE_PORT must be a port 1-65535, got ${show(env.MCP_BASE_PORT)}`,
    );
  }
  if (size < DEFAULT_RANGE_SIZE || size > MAX_PORT) {
    throw new CmgrConfigError(
      'EINVALIDPORTENV',
      `MCP_PORT_RANGE must be the number of ports per instance, ${DEFAULT_RANGE_SIZE} or more, got ${show(env.MCP_PORT_RANGE)}`,
    );
  }
  if (base + size - 1 > MAX_PORT) {
    throw new CmgrConfigError(
      'EINVALIDPORTENV',
      `MCP_BASE_PORT=${base} with MCP_PORT_RANGE=${size} ends at port ${base + size - 1}, past ${MAX_PORT}: lower one of them`,
    );
  }
  return { base, size };
}

function readInteger(env: PortEnv, name: keyof PortEnv, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Digits only: Number() would take " 9000", "9e3", "0x2328" and "9000.0", which a user did not mean as a port.
  if (typeof raw !== 'string' || !/^[0-9]+$/.test(raw)) {
    throw new CmgrConfigError('EINVALIDPORTENV', `${name} must be a whole number, got ${show(raw)}`);
  }
  return Number(raw);
}
