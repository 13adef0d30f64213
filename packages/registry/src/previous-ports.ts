import type { RegistryEntry, RegistryState } from './format.js';
import { isGeneratedInstanceId } from './instance-id.js';

/**
 * Top-level key of the registry file under which it remembers the last port of instances that left
 * (released, or evicted as dead or silent), so a restart with the same id gets that port back even
 * after other instances wrote the file in between. Readers that follow the design ignore it.
 */
export const PREVIOUS_PORTS_KEY = 'previousPorts';

/** How many departed instances are remembered; the oldest are forgotten first. */
const MAX_REMEMBERED = 16;

/** One remembered departure. */
interface Departure {
  readonly instanceId: string;
  readonly port: number;
}

type Extra = RegistryState['extra'];

function departures(extra: Extra): Departure[] {
  const list = extra[PREVIOUS_PORTS_KEY];
  if (!Array.isArray(list)) return [];
  return list.filter(
    (item): item is Departure =>
      typeof item === 'object' &&
      item !== null &&
      typeof item.instanceId === 'string' &&
      Number.isInteger(item.port),
  );
}

/** The port `instanceId` had when it last left, if the registry remembers it. */
export function rememberedPort(extra: Extra, instanceId: string): number | undefined {
  return departures(extra).findLast((item) => item.instanceId === instanceId)?.port;
}

/**
 * `extra` remembering that `left` are gone (newest last, at most {@link MAX_REMEMBERED}). Generated
 * ids are not remembered: nobody restarts with one.
 */
export function rememberDepartures(extra: Extra, left: readonly RegistryEntry[]): Extra {
  const kept = left.filter((entry) => !isGeneratedInstanceId(entry.instanceId));
  if (kept.length === 0) return extra;
  const ids = new Set(kept.map((entry) => entry.instanceId));
  const earlier = departures(extra).filter((item) => !ids.has(item.instanceId));
  const added = kept.map((entry) => ({ instanceId: entry.instanceId, port: entry.port }));
  return { ...extra, [PREVIOUS_PORTS_KEY]: [...earlier, ...added].slice(-MAX_REMEMBERED) };
}

/** `extra` without the departure of `instanceId`, which is back. */
export function forgetDeparture(extra: Extra, instanceId: string): Extra {
  const list = departures(extra);
  if (!list.some((item) => item.instanceId === instanceId)) return extra;
  return { ...extra, [PREVIOUS_PORTS_KEY]: list.filter((item) => item.instanceId !== instanceId) };
}
