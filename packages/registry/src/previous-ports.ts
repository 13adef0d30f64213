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

type OtherFields = RegistryState['otherFields'];

function departures(otherFields: OtherFields): Departure[] {
  const list = otherFields[PREVIOUS_PORTS_KEY];
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
export function rememberedPort(otherFields: OtherFields, instanceId: string): number | undefined {
  return departures(otherFields).findLast((item) => item.instanceId === instanceId)?.port;
}

/**
 * `otherFields` remembering that `left` are gone (newest last, at most {@link MAX_REMEMBERED}). Generated
 * ids are not remembered: nobody restarts with one.
 */
export function rememberDepartures(otherFields: OtherFields, left: readonly RegistryEntry[]): OtherFields {
  const kept = left.filter((entry) => !isGeneratedInstanceId(entry.instanceId));
  if (kept.length === 0) return otherFields;
  const ids = new Set(kept.map((entry) => entry.instanceId));
  const earlier = departures(otherFields).filter((item) => !ids.has(item.instanceId));
  const added = kept.map((entry) => ({ instanceId: entry.instanceId, port: entry.port }));
  return { ...otherFields, [PREVIOUS_PORTS_KEY]: [...earlier, ...added].slice(-MAX_REMEMBERED) };
}

/** `otherFields` without the departure of `instanceId`, which is back. */
export function forgetDeparture(otherFields: OtherFields, instanceId: string): OtherFields {
  const list = departures(otherFields);
  if (!list.some((item) => item.instanceId === instanceId)) return otherFields;
  return { ...otherFields, [PREVIOUS_PORTS_KEY]: list.filter((item) => item.instanceId !== instanceId) };
}
