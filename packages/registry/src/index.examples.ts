/**
 * Type-checked examples of `@ports/registry`, copied into the TSDoc `@example` blocks that name their
 * region (`pnpm sync-examples`; `scripts/tsdoc-examples.test.ts` fails when they differ). Nothing calls
 * these functions: they exist to be type-checked. Not part of the build (tsup bundles `index.ts` only).
 * What an example takes from its surroundings is a parameter.
 */

import type { Server } from 'node:http';
import { createInstanceId, PortRegistry, PortRegistryManager } from './index.js';

/** {@link createInstanceId}. */
export async function createInstanceIdExample(): Promise<void> {
  //#region createInstanceId
  createInstanceId(); // '41233-9f2c1ab4-mi3x0k2a'
  //#endregion createInstanceId
}

/** {@link PortRegistryManager}. */
export async function PortRegistryManagerExample(): Promise<void> {
  //#region PortRegistryManager
  const manager = new PortRegistryManager();
  const port = await manager.allocatePort();
  manager.startHeartbeat();
  // ... on shutdown:
  await manager.releasePort();
  //#endregion PortRegistryManager
}

/** {@link PortRegistry}. */
export async function PortRegistryExample(
  httpServer: Server,
  listen: (server: Server, port: number) => Promise<Server>,
): Promise<void> {
  //#region PortRegistry
  const registry = new PortRegistry({ range: [8765, 8775] });
  const {
    port,
    instanceId,
    bound: server,
  } = await registry.allocate({
    bind: (port) => listen(httpServer, port), // runs under the lock
  });
  setInterval(() => registry.heartbeat(instanceId), 30_000).unref();
  process.on('exit', () => registry.releaseSync(instanceId));
  //#endregion PortRegistry
}
