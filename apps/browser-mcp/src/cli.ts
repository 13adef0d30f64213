import { readFileSync } from 'node:fs';
import { BrowserMcpError, UsageError } from './errors.js';
import { startFastInitialize } from './fast-initialize.js';
import { CAPABILITIES, INSTRUCTIONS } from './identity.js';
import { formatInstancesJson, formatInstancesTable } from './instances.js';
import { HARD_EXIT_MS, watchShutdown } from './lifecycle.js';
import { type CliOptions, parseOptions, USAGE } from './options.js';

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
      case 'pair': {
        const { runPair } = await import('./pairing/pair-command.js');
        await runPair(options, {
          out: (line) => process.stdout.write(`${line}\n`),
          err: (line) => process.stderr.write(`${line}\n`),
        });
        return 0;
      }
      case 'instances': {
        const { listInstances, openRegistry } = await import('./registry-wiring.js');
        const instances = await listInstances(
          openRegistry(options.registryFile, options.ports),
          options.host,
        );
        process.stdout.write(
          `${options.json ? formatInstancesJson(instances) : formatInstancesTable(instances)}\n`,
        );
        return 0;
      }
      case 'serve': {
        // Answer `initialize` first; the SDK, ws, zod and the registry load meanwhile.
        const version = readVersion();
        const stdio = startFastInitialize({
          identity: { name: 'browser-mcp', version, instructions: INSTRUCTIONS, capabilities: CAPABILITIES },
          onMismatch: (ours, sdk) =>
            log(`early initialize answer differed from the SDK's: ${JSON.stringify({ ours, sdk })}`),
        });
        const shutdown = watchShutdown(HARD_EXIT_MS, log);
        try {
          const { serve } = await import('./serve.js');
          return await serve(options, { version, stdio, log, shutdown });
        } catch (error) {
          shutdown.remove();
          throw error;
        } finally {
          // Reached only when the server did not start (serve exits the process once it ran).
          stdio.stop();
        }
      }
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

function readVersion(): string {
  // The built file lives in dist/, beside package.json's directory.
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
