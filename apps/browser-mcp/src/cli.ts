import { readFileSync } from 'node:fs';
import { BrowserMcpError, UsageError } from './errors.js';
import { formatInstancesJson, formatInstancesTable } from './instances.js';
import { armHardExit, onShutdownRequest } from './lifecycle.js';
import { type CliOptions, parseOptions, type ServeOptions, USAGE } from './options.js';
import { listInstances, openRegistry, registryAllocator } from './registry-wiring.js';
import { startBrowserMcp } from './server.js';

/** A shutdown still running after this exits anyway; the `exit` fallback's releaseSync may add up to 2 s. */
const HARD_EXIT_MS = 5_000;

const log = (line: string): void => {
  process.stderr.write(`browser-mcp: ${line}\n`);
};

/**
 * Runs the `browser-mcp` command line and resolves with the exit code: 0 on success, 1 on a
 * runtime failure, 2 on invalid options (reported before anything is allocated).
 *
 * @example
 * ```js
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let options: CliOptions;
  try {
    options = parseOptions(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log(error.message);
    return 2;
  }
  try {
    switch (options.command) {
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      case 'version':
        process.stdout.write(`${readVersion()}\n`);
        return 0;
      case 'instances': {
        const instances = await listInstances(openRegistry(options.registryFile, options.ports));
        process.stdout.write(
          `${options.json ? formatInstancesJson(instances) : formatInstancesTable(instances)}\n`,
        );
        return 0;
      }
      case 'serve':
        return await serve(options);
    }
  } catch (error) {
    // An option that only proved wrong when used (an unusable --host).
    if (error instanceof UsageError) {
      log(error.message);
      return 2;
    }
    // Our packages' errors are typed (a string `code`) and say what to do: the message is enough.
    const typed = error instanceof BrowserMcpError || typeof (error as { code?: unknown })?.code === 'string';
    log(typed ? (error as Error).message : String((error as Error)?.stack ?? error));
    return 1;
  }
}

async function serve(options: ServeOptions): Promise<number> {
  // Listen for the client going away before anything is allocated, so an early exit still releases.
  let requested: string | undefined;
  let onRequest = (reason: string): void => {
    requested = reason;
  };
  const removeListeners = onShutdownRequest((reason) => onRequest(reason));

  const registry = openRegistry(options.registryFile, options.ports);
  const running = await startBrowserMcp({
    options,
    version: readVersion(),
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

function readVersion(): string {
  // The built file lives in dist/, beside package.json's directory.
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
