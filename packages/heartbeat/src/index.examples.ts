/**
 * Type-checked examples of `@ports/heartbeat`, copied into the TSDoc `@example` blocks that name their
 * region (`pnpm sync-examples`; `scripts/tsdoc-examples.test.ts` fails when they differ). Nothing calls
 * these functions: they exist to be type-checked. Not part of the build (tsup bundles `index.ts` only).
 * What an example takes from its surroundings is a parameter.
 */

import { onShutdown, shutdown, startHeartbeat } from './index.js';

/** {@link startHeartbeat}. */
export async function startHeartbeatExample(
  registry: { heartbeat(id: string): Promise<unknown> },
  id: string,
): Promise<void> {
  //#region startHeartbeat
  const hb = startHeartbeat(() => registry.heartbeat(id), { intervalMs: 30_000 });
  // later
  hb.stop();
  await hb.stopped;
  //#endregion startHeartbeat
}

/** {@link onShutdown}. */
export async function onShutdownExample(
  registry: { release(id: string): Promise<unknown>; releaseSync(id: string): unknown },
  id: string,
): Promise<void> {
  //#region onShutdown
  const off = onShutdown(() => registry.release(id), { timeoutMs: 5_000 });
  onShutdown(() => registry.releaseSync(id), { sync: true }); // also runs on process.exit()
  //#endregion onShutdown
}

/** {@link shutdown}. */
export async function shutdownExample(server: { close(): Promise<void> }): Promise<void> {
  //#region shutdown
  process.on('SIGTERM', async () => {
    await server.close();
    await shutdown('SIGTERM');
    process.exit(0);
  });
  //#endregion shutdown
}
