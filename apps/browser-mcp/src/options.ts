import { statSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LIMITS } from '@ports/browser-protocol';
import { createInstanceId, DEFAULTS as REGISTRY_DEFAULTS } from '@ports/registry';
import { UsageError } from './errors.js';
import { PAIRING_FILE_ENV, pairingFilePath } from './pairing/paths.js';

/** An inclusive range of TCP ports. */
export interface PortRange {
  readonly start: number;
  readonly end: number;
}

/** What `browser-mcp` (no subcommand) needs to serve. */
export interface ServeOptions {
  readonly command: 'serve';
  /** Absolute path of the shared registry file. */
  readonly registryFile: string;
  readonly ports: PortRange;
  readonly instanceId: string;
  /** Extra origins allowed besides `chrome-extension://…`, lower-cased. */
  readonly allowOrigins: readonly string[];
  readonly host: string;
  /** How long the extension has to answer one command. */
  readonly commandTimeoutMs: number;
  /** `--dialogs`: answer every dialog at once this way; absent, they wait for `browser_handle_dialog`. */
  readonly dialogs?: 'accept' | 'dismiss';
  /** `--upload-root` folders (absolute): uploads only from inside them; empty, any absolute path. */
  readonly uploadRoots: readonly string[];
  /** False with `--no-evaluate`: the server offers no `browser_evaluate`. */
  readonly evaluate: boolean;
  /** How long a command waits for a paired extension when none is connected. */
  readonly connectTimeoutMs: number;
  /** The pairing secret file shared by this user's servers. */
  readonly pairingFile: string;
  /** Let in the older extension, which cannot pair. */
  readonly allowUnpaired: boolean;
  /** `--name`: what people call this instance; `undefined` to use the MCP client's name and the folder. */
  readonly name: string | undefined;
}

/** What `browser-mcp pair` needs. */
export interface PairOptions {
  readonly command: 'pair';
  readonly pairingFile: string;
  /** Make a new secret: every paired browser must pair again. */
  readonly reset: boolean;
}

/** What `browser-mcp instances` needs. */
export interface InstancesOptions {
  readonly command: 'instances';
  readonly registryFile: string;
  readonly ports: PortRange;
  readonly host: string;
  readonly json: boolean;
}

/** The parsed command line: what to do, with every value validated. */
export type CliOptions =
  | ServeOptions
  | InstancesOptions
  | PairOptions
  | { readonly command: 'help' }
  | { readonly command: 'version' };

/** Every default in one place. */
export const DEFAULTS = {
  registryFile: REGISTRY_DEFAULTS.file,
  ports: { start: REGISTRY_DEFAULTS.range[0], end: REGISTRY_DEFAULTS.range[1] },
  host: '127.0.0.1',
  commandTimeoutMs: LIMITS.commandTimeoutMs,
  connectTimeoutMs: 10_000,
} as const satisfies Partial<Omit<ServeOptions, 'command' | 'instanceId' | 'allowOrigins'>>;

/** The `--help` text. */
export const USAGE = `Usage: browser-mcp [options]
       browser-mcp pair [--reset]
       browser-mcp instances [--json] [--registry <file>]

A Browser MCP server: MCP over stdio for the AI client, a WebSocket bridge for the
browser extension on a port taken from a shared registry, so many servers coexist.

Options:
  --registry <file>        registry file shared by all instances
                           (env BROWSER_MCP_REGISTRY, default ${DEFAULTS.registryFile})
  --ports <start>-<end>    port range to take a port from
                           (env BROWSER_MCP_PORTS, default ${DEFAULTS.ports.start}-${DEFAULTS.ports.end})
  --host <address>         address to listen on (default ${DEFAULTS.host})
  --allow-origin <origin>  also accept this Origin besides chrome-extension://… (repeatable)
  --command-timeout <ms>   how long the extension has to answer a command (default ${DEFAULTS.commandTimeoutMs})
  --connect-timeout <ms>   how long a tool call waits for a paired extension to connect
                           (default ${DEFAULTS.connectTimeoutMs})
  --name <label>           what the extension's popup and tab group call this instance
                           (default: the MCP client's name and the working folder's name)
  --allow-unpaired         also let in the older Browser MCP extension, which cannot pair
                           (any local process could then drive the browser: warns on stderr)
  --dialogs accept|dismiss answer every dialog (alert, confirm, prompt, beforeunload) at once
                           this way (default: it stays open until browser_handle_dialog answers it)
  --upload-root <dir>      browser_file_upload takes files only from inside this folder
                           (repeatable; default: any absolute path)
  --no-evaluate            do not offer browser_evaluate (running JavaScript in the page)
  -h, --help               show this help
  -v, --version            show the version

Environment:
  MCP_INSTANCE_ID          instance id in the registry and to the extension; a restarted
                           instance with the same id gets its old port back when free, and
                           its tab group (default: <pid>-<random hex>-<time>)
  ${PAIRING_FILE_ENV} the pairing secret file (default: browser-mcp/pairing.json in
                           your config folder, ~/.config on Linux)

Commands:
  pair                     print the pairing code to paste in the extension's options
                           (Pairing code, then Pair); the secret is created on first use
  pair --reset             make a new secret: every paired browser must pair again
  instances [--json]       list the live instances of the registry and exit
`;

const MAX_COMMAND_TIMEOUT_MS = 10 * 60_000;

/**
 * Parses and validates the command line and environment. Flags win over environment variables.
 * Throws {@link UsageError} naming the option and the bad value.
 *
 * @example
 * ```ts
 * const options = parseOptions(['--ports', '9000-9010'], process.env);
 * if (options.command === 'serve') console.error(options.ports.start); // 9000
 * ```
 */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  const { values, positionals } = parseRaw(argv);
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };

  const [subcommand, ...extra] = positionals;
  if (subcommand !== undefined && subcommand !== 'instances' && subcommand !== 'pair') {
    throw new UsageError(
      `unknown command '${subcommand}' (the commands are 'pair' and 'instances'; see --help)`,
    );
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' (see --help)`);
  const pairingFile = parsePairingFile(env[PAIRING_FILE_ENV], env);
  if (values.reset && subcommand !== 'pair')
    throw new UsageError(`--reset applies only to 'browser-mcp pair'`);
  const serveOnly = [
    'allow-origin',
    'command-timeout',
    'connect-timeout',
    'name',
    'allow-unpaired',
    'dialogs',
    'upload-root',
    'no-evaluate',
  ] as const;
  if (subcommand === 'pair') {
    for (const flag of [...serveOnly, 'json', 'registry', 'ports', 'host'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to 'pair'`);
    }
    return { command: 'pair', pairingFile, reset: values.reset ?? false };
  }

  const registryFile = parseRegistry(values.registry, env.BROWSER_MCP_REGISTRY);
  const ports = parsePorts(values.ports, env.BROWSER_MCP_PORTS);
  const host = parseHost(values.host ?? DEFAULTS.host);

  if (subcommand === 'instances') {
    for (const flag of serveOnly) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to 'instances'`);
    }
    return { command: 'instances', registryFile, ports, host, json: values.json ?? false };
  }
  if (values.json) throw new UsageError(`--json applies only to 'browser-mcp instances'`);

  return {
    command: 'serve',
    registryFile,
    ports,
    host,
    instanceId: parseInstanceId(env.MCP_INSTANCE_ID),
    allowOrigins: (values['allow-origin'] ?? []).map(parseOrigin),
    commandTimeoutMs: parseTimeout(values['command-timeout'], '--command-timeout', DEFAULTS.commandTimeoutMs),
    connectTimeoutMs: parseTimeout(values['connect-timeout'], '--connect-timeout', DEFAULTS.connectTimeoutMs),
    pairingFile,
    allowUnpaired: values['allow-unpaired'] ?? false,
    name: parseName(values.name),
    ...parseDialogs(values.dialogs),
    uploadRoots: (values['upload-root'] ?? []).map(parseUploadRoot),
    evaluate: values['no-evaluate'] !== true,
  };
}

function parseRaw(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        registry: { type: 'string' },
        ports: { type: 'string' },
        host: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'command-timeout': { type: 'string' },
        'connect-timeout': { type: 'string' },
        name: { type: 'string' },
        'allow-unpaired': { type: 'boolean' },
        reset: { type: 'boolean' },
        dialogs: { type: 'string' },
        'upload-root': { type: 'string', multiple: true },
        'no-evaluate': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    // Node's messages are long and suggest `--` tricks; keep the first sentence only.
    const message = (error as Error).message.split('. ')[0] ?? String(error);
    throw new UsageError(`${message.charAt(0).toLowerCase()}${message.slice(1)} (see --help)`);
  }
}

function parseRegistry(flag: string | undefined, fromEnv: string | undefined): string {
  const [value, source] = pick(flag, '--registry', fromEnv, 'BROWSER_MCP_REGISTRY');
  if (value === undefined) return DEFAULTS.registryFile;
  if (value.trim() === '' || value.includes('\0')) {
    throw new UsageError(`${source} must be a file path, got '${value}'`);
  }
  return resolve(value);
}

/** Parses `start-end` (or a single port) into an inclusive range. */
export function parsePortRange(value: string, source = '--ports'): PortRange {
  const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(value);
  const start = Number(match?.[1]);
  const end = Number(match?.[2] ?? match?.[1]);
  if (!match || !isPort(start) || !isPort(end)) {
    throw new UsageError(`${source} must be <start>-<end> with ports 1-65535, got '${value}'`);
  }
  if (start > end) throw new UsageError(`${source} start must not exceed its end, got '${value}'`);
  return { start, end };
}

function parsePorts(flag: string | undefined, fromEnv: string | undefined): PortRange {
  const [value, source] = pick(flag, '--ports', fromEnv, 'BROWSER_MCP_PORTS');
  return value === undefined ? DEFAULTS.ports : parsePortRange(value, source);
}

function parseHost(value: string): string {
  if (isIP(value) !== 0 || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(value)) {
    return value;
  }
  throw new UsageError(`--host must be an IP address or a host name, got '${value}'`);
}

function parseInstanceId(value: string | undefined): string {
  if (value === undefined || value === '') return createInstanceId({});
  if (!/^[\w.:@-]{1,128}$/.test(value)) {
    throw new UsageError(
      `MCP_INSTANCE_ID must be 1-128 letters, digits or . _ : @ - characters, got '${value}'`,
    );
  }
  return value;
}

function parseOrigin(value: string): string {
  // Browsers serialise an origin as scheme://host[:port], lower-case, with no path or trailing slash.
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+$/i.test(value)) {
    throw new UsageError(`--allow-origin must be an origin like https://example.com, got '${value}'`);
  }
  return value.toLowerCase();
}

function parseDialogs(value: string | undefined): { dialogs?: 'accept' | 'dismiss' } {
  if (value === undefined) return {};
  if (value !== 'accept' && value !== 'dismiss') {
    throw new UsageError(`--dialogs must be accept or dismiss, got '${value}'`);
  }
  return { dialogs: value };
}

function parseUploadRoot(value: string): string {
  const dir = resolve(value);
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (value.trim() === '' || value.includes('\0') || !isDirectory) {
    throw new UsageError(`--upload-root must be an existing folder, got '${value}'`);
  }
  return dir;
}

function parseTimeout(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(ms) || ms < 1 || ms > MAX_COMMAND_TIMEOUT_MS) {
    throw new UsageError(
      `${flag} must be a whole number of milliseconds from 1 to ${MAX_COMMAND_TIMEOUT_MS}, got '${value}'`,
    );
  }
  return ms;
}

function parsePairingFile(value: string | undefined, env: NodeJS.ProcessEnv): string {
  if (value !== undefined && value !== '' && (value.trim() === '' || value.includes('\0'))) {
    throw new UsageError(`${PAIRING_FILE_ENV} must be a file path, got '${value}'`);
  }
  return pairingFilePath(env);
}

/** Longest label: the popup and a tab group title show it whole. */
const MAX_NAME_LENGTH = 60;

function parseName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const name = value.trim();
  // Control characters would break the one-line places a label is shown.
  if (name === '' || name.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name)) {
    // JSON: the bad value may hold the very newline that makes it bad, and the error is one line.
    throw new UsageError(
      `--name must be 1-${MAX_NAME_LENGTH} printable characters, got ${JSON.stringify(value)}`,
    );
  }
  return name;
}

function pick(
  flag: string | undefined,
  flagName: string,
  fromEnv: string | undefined,
  envName: string,
): [string | undefined, string] {
  if (flag !== undefined) return [flag, flagName];
  if (fromEnv !== undefined && fromEnv !== '') return [fromEnv, envName];
  return [undefined, flagName];
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65_535;
}
