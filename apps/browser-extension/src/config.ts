import { DEFAULT_PORT_RANGE } from '@ports/browser-protocol';

/** The ports the extension scans, as the options page stores them. */
export interface PortRange {
  readonly start: number;
  readonly end: number;
}

/** The largest range the options page accepts: a scan probes every port of it. */
export const MAX_RANGE_SIZE = 200;

const RANGE_KEY = 'portRange';
const DISABLED_KEY = 'disabledPorts';

/** Why `range` cannot be used, or undefined when it can. */
export function rangeProblem(range: { start: unknown; end: unknown }): string | undefined {
  const { start, end } = range;
  if (!Number.isInteger(start) || !Number.isInteger(end)) return 'Both ends must be whole numbers.';
  if ((start as number) < 1024 || (end as number) > 65_535) return 'Ports must be between 1024 and 65535.';
  if ((start as number) > (end as number)) return 'The first port must not be above the last.';
  if ((end as number) - (start as number) + 1 > MAX_RANGE_SIZE) return `At most ${MAX_RANGE_SIZE} ports.`;
  return undefined;
}

/** The configured range, or the default 8765–8775 when none (or a bad one) is stored. */
export async function loadRange(): Promise<PortRange> {
  const stored = (await chrome.storage.local.get(RANGE_KEY))[RANGE_KEY] as PortRange | undefined;
  if (stored && rangeProblem(stored) === undefined) return { start: stored.start, end: stored.end };
  return { start: DEFAULT_PORT_RANGE.start, end: DEFAULT_PORT_RANGE.end };
}

/** Stores a new range; throws with the reason when it is not usable. */
export async function saveRange(range: PortRange): Promise<void> {
  const problem = rangeProblem(range);
  if (problem) throw new Error(problem);
  await chrome.storage.local.set({ [RANGE_KEY]: { start: range.start, end: range.end } });
}

/** Ports the user disconnected in the popup: not connected again until they say so. */
export async function loadDisabledPorts(): Promise<Set<number>> {
  const stored = (await chrome.storage.local.get(DISABLED_KEY))[DISABLED_KEY] as number[] | undefined;
  return new Set(Array.isArray(stored) ? stored : []);
}

/** Stores the disconnected ports. */
export async function saveDisabledPorts(ports: ReadonlySet<number>): Promise<void> {
  await chrome.storage.local.set({ [DISABLED_KEY]: [...ports].sort((a, b) => a - b) });
}

/** True when a storage change is one of the settings the connection manager follows. */
export function isSettingsChange(changes: Record<string, unknown>): boolean {
  return RANGE_KEY in changes || DISABLED_KEY in changes;
}
