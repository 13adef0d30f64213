import { startHeartbeat } from '@ports/heartbeat';
import { PortRegistry, type RegistryEntry } from '@ports/registry';
import { fetchLabel } from './instance-labels.js';
import type { InstanceInfo } from './instances.js';
import type { PortRange } from './options.js';
import type { AllocatePort } from './server.js';

/** How often a live server proves it is alive; the registry evicts entries silent for 60 s. */
const HEARTBEAT_INTERVAL_MS = 30_000;

/** The shared registry as this app configures it: its file, its range, its flag names in errors. */
export function openRegistry(file: string, ports: PortRange): PortRegistry {
  return new PortRegistry({
    file,
    range: [ports.start, ports.end],
    fileHint: '--registry or BROWSER_MCP_REGISTRY',
  });
}

/**
 * Allocates through the registry, binding inside the allocation, then keeps the entry alive with a
 * heartbeat that never throws into the event loop. Release is idempotent; `releaseSync` is the
 * fallback for the final `exit` event, also when an async release started but never finished.
 */
export function registryAllocator(
  registry: PortRegistry,
  instanceId: string,
  log: (line: string) => void,
): AllocatePort {
  return async ({ bind }) => {
    const { port } = await registry.allocate({ instanceId, bind });
    const heartbeat = startHeartbeat(() => registry.heartbeat(instanceId), {
      intervalMs: HEARTBEAT_INTERVAL_MS,
      jitter: 0.1,
      onError: (error) => log(`heartbeat failed: ${(error as Error).message}`),
    });
    // Done only once a release has finished: an async release still waiting for the lock when the
    // process exits (a hard exit after a stuck shutdown) leaves the entry to releaseSync.
    let released = false;
    let releasing: Promise<void> | undefined;
    return {
      port,
      release: () => {
        if (released) return Promise.resolve();
        heartbeat.stop();
        releasing ??= registry.release(instanceId).then(() => {
          released = true;
        });
        return releasing;
      },
      releaseSync: () => {
        if (released) return;
        released = true;
        heartbeat.stop();
        registry.releaseSync(instanceId);
      },
    };
  };
}

/**
 * The registry's live entries as the app shows them (read-only: no lock, no write), each with the
 * label its server gives (asked over loopback, in parallel; the registry keeps ids, not labels,
 * since a label changes when the MCP client introduces itself).
 */
export async function listInstances(registry: PortRegistry, host = '127.0.0.1'): Promise<InstanceInfo[]> {
  const entries = await registry.list();
  const labels = await Promise.all(
    entries.map((entry) => fetchLabel(askHost(host), entry.port, entry.instanceId)),
  );
  return entries.map((entry: RegistryEntry, i) => ({
    port: entry.port,
    instanceId: entry.instanceId,
    ...(labels[i] !== undefined ? { label: labels[i] } : {}),
    pid: entry.pid,
    startedAt: entry.createdAt,
    lastHeartbeat: entry.lastHeartbeat,
  }));
}

/** Servers listening on every address answer on loopback. */
function askHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}
