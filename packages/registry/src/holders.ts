import { portHolders } from '@ports/probe';
import type { RegistryEntry } from './format.js';

/** How many ports an exhaustion message describes before it summarises the rest. */
const MAX_DESCRIBED = 20;

/**
 * Says who holds each port of a full range: the registered instance, or for a port in use
 * outside the registry, the process `@ports/probe` finds listening on it.
 */
export async function describeHolders(
  start: number,
  end: number,
  registered: readonly RegistryEntry[],
): Promise<string> {
  const byPort = new Map(registered.map((entry) => [entry.port, entry]));
  const parts: string[] = [];
  for (let port = start; port <= end && parts.length < MAX_DESCRIBED; port++) {
    const entry = byPort.get(port);
    if (entry) {
      parts.push(`${port} instance ${entry.instanceId} (pid ${entry.pid})`);
      continue;
    }
    const holders = await portHolders(port).catch(() => []);
    const holder = holders.find((candidate) => candidate.pid !== undefined) ?? holders[0];
    if (!holder) parts.push(`${port} in use by an unknown process`);
    else if (holder.pid === undefined && holder.uid !== undefined)
      parts.push(`${port} in use by uid ${holder.uid}`);
    else if (holder.pid === undefined) parts.push(`${port} in use by an unknown process`);
    else parts.push(`${port} in use by pid ${holder.pid}${holder.command ? ` (${holder.command})` : ''}`);
  }
  const total = end - start + 1;
  if (total > parts.length) parts.push(`and ${total - parts.length} more`);
  return parts.join(', ');
}
