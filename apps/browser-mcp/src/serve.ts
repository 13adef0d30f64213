import type { FastInitialize } from './fast-initialize.js';
import { armHardExit, HARD_EXIT_MS, type ShutdownWatch } from './lifecycle.js';
import type { ServeOptions } from './options.js';
import { openPairingKey } from './pairing/server-key.js';
import { listInstances, openRegistry, registryAllocator } from './registry-wiring.js';
import { startBrowserMcp } from './server.js';

/** What the command line hands the server: loaded lazily, after `initialize` was answered. */
export interface ServeContext {
  readonly version: string;
  /** The MCP channel, with `initialize` possibly answered already. */
  readonly stdio: FastInitialize;
  readonly log: (line: string) => void;
  /** Stop requests, watched since before the lazy load, so an early exit still releases. */
  readonly shutdown: ShutdownWatch;
}

/**
 * Runs the server until the client goes away or a signal asks it to stop, then releases the
 * port and exits 0. Rejects (the CLI exits 1) when no port can be taken.
 */
export async function serve(options: ServeOptions, context: ServeContext): Promise<number> {
  const { version, stdio, log } = context;
  const { shutdown } = context;
  const registry = openRegistry(options.registryFile, options.ports);
  // Before the port: a server that cannot pair is of no use, and says so (exit 1) naming the file.
  const pairing = await openPairingKey(options.pairingFile).catch((error: unknown) => {
    shutdown.remove();
    throw error;
  });
  const running = await startBrowserMcp({
    pairing,
    options,
    version,
    stdio,
    allocate: registryAllocator(registry, options.instanceId, log),
    listPorts: async () => (await registry.list()).map((entry) => entry.port),
    listInstances: () => listInstances(registry, options.host),
    log,
  }).catch((error: unknown) => {
    shutdown.remove();
    throw error;
  });
  process.once('exit', () => running.allocation.releaseSync?.());

  const reason = await shutdown.next();
  log(`shutting down (${reason})`);
  armHardExit(HARD_EXIT_MS, 0, log);
  await running.shutdown();
  shutdown.remove();
  // stdin may still be open (a signal, not EOF, asked us to stop): exit rather than wait on it.
  process.exit(0);
}
