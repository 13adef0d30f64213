import type { FastInitialize } from './fast-initialize.js';
import { armHardExit, onShutdownRequest } from './lifecycle.js';
import type { ServeOptions } from './options.js';
import { listInstances, openRegistry, registryAllocator } from './registry-wiring.js';
import { startBrowserMcp } from './server.js';

/** A shutdown still running after this exits anyway; the `exit` fallback's releaseSync may add up to 2 s. */
const HARD_EXIT_MS = 5_000;

/** What the command line hands the server: loaded lazily, after `initialize` was answered. */
export interface ServeContext {
  readonly version: string;
  /** The MCP channel, with `initialize` possibly answered already. */
  readonly stdio: FastInitialize;
  readonly log: (line: string) => void;
}

/**
 * Runs the server until the client goes away or a signal asks it to stop, then releases the
 * port and exits 0. Rejects (the CLI exits 1) when no port can be taken.
 */
export async function serve(options: ServeOptions, context: ServeContext): Promise<number> {
  const { version, stdio, log } = context;
  // Listen for the client going away before anything is allocated, so an early exit still releases.
  let requested: string | undefined;
  let onRequest = (reason: string): void => {
    requested = reason;
    // Our listeners replaced Node's default exit on signals: a start that hangs (a registry lock
    // held by a stuck writer, a slow DNS answer for --host) must not make Ctrl-C useless.
    armHardExit(HARD_EXIT_MS, 0, log);
  };
  const removeListeners = onShutdownRequest((reason) => onRequest(reason));

  const registry = openRegistry(options.registryFile, options.ports);
  const running = await startBrowserMcp({
    options,
    version,
    stdio,
    allocate: registryAllocator(registry, options.instanceId, log),
    listPorts: async () => (await registry.list()).map((entry) => entry.port),
    listInstances: () => listInstances(registry),
    log,
  }).catch((error: unknown) => {
    removeListeners();
    throw error;
  });
  process.once('exit', () => running.allocation.releaseSync?.());

  const reason = await new Promise<string>((resolve) => {
    if (requested !== undefined) return resolve(requested);
    onRequest = resolve;
  });
  log(`shutting down (${reason})`);
  armHardExit(HARD_EXIT_MS, 0, log);
  await running.shutdown();
  removeListeners();
  // stdin may still be open (a signal, not EOF, asked us to stop): exit rather than wait on it.
  process.exit(0);
}
