import { tmpdir } from 'node:os';
import { resolve, win32 } from 'node:path';
import { writeStderr } from '@ports/stderr';
import { RegistryError } from './errors.js';

/** Where the registry's diagnostics go. Never stdout: in an MCP server that is the protocol stream. */
export interface RegistryLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Options of {@link PortRegistry}. Every one has a default matching the original design. */
export interface PortRegistryOptions {
  /**
   * Registry file (default `/tmp/browsermcp-ports.json` on Linux and macOS, where every server looks
   * for it; `browsermcp-ports.json` in `os.tmpdir()` on Windows). The lock is `${file}.lock`.
   */
  readonly file?: string;
  /** Inclusive port range to allocate from (default `[8765, 8775]`). */
  readonly range?: readonly [number, number];
  /** Heartbeat age after which an entry is stale and evicted (default 60 000 ms). */
  readonly staleAfterMs?: number;
  /** Age of the lock file after which a holder that shows no life is presumed gone (default 5 000 ms). */
  readonly lockStaleMs?: number;
  /** How long to wait for the lock before failing (default 10 000 ms). */
  readonly lockTimeoutMs?: number;
  /** fsync file and directory on every write (default `false`: /tmp describes live processes only). */
  readonly durable?: boolean;
  /** Host the allocated port is probed on (default: every local address). */
  readonly host?: string;
  /** Files larger than this are moved aside as corrupt instead of parsed (default 8 MiB). */
  readonly maxFileBytes?: number;
  /** How error messages tell a user to pick another file (default `the "file" option`). */
  readonly fileHint?: string;
  /** Diagnostics sink (default: stderr with a `[PortRegistry]` prefix); `false` silences it. */
  readonly logger?: RegistryLogger | false;
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  readonly file: string;
  readonly lockFile: string;
  readonly range: readonly [number, number];
  readonly staleAfterMs: number;
  readonly lockStaleMs: number;
  readonly lockTimeoutMs: number;
  readonly durable: boolean;
  readonly host: string | undefined;
  readonly maxFileBytes: number;
  readonly fileHint: string;
  readonly logger: RegistryLogger;
}

/**
 * @internal The default registry path on `platform`: the design's `/tmp/browsermcp-ports.json`, even on
 * macOS (whose `os.tmpdir()` is a per-user folder other servers would not look in); Windows has no
 * `/tmp`, so there it lives in the temp folder.
 */
export function defaultFile(platform: NodeJS.Platform, tempDir: string = tmpdir()): string {
  return platform === 'win32' ? win32.join(tempDir, 'browsermcp-ports.json') : '/tmp/browsermcp-ports.json';
}

/** The design's defaults. */
export const DEFAULTS = {
  file: defaultFile(process.platform),
  range: [8765, 8775] as const,
  staleAfterMs: 60_000,
  lockStaleMs: 5_000,
  lockTimeoutMs: 10_000,
  maxFileBytes: 8 * 1024 * 1024,
} as const;

const stderrLogger: RegistryLogger = {
  info: (message) => writeStderr(`[PortRegistry] ${message}\n`),
  warn: (message) => writeStderr(`[PortRegistry] Warning: ${message}\n`),
};
const silentLogger: RegistryLogger = { info: () => undefined, warn: () => undefined };

/** `value` as an error message shows it: NaN as NaN, not as JSON's null. */
function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function invalid(option: string, value: unknown, expected: string): RegistryError {
  return new RegistryError(
    'EINVALIDOPTION',
    `option "${option}" must be ${expected}; got ${describeValue(value)}`,
  );
}

/** Every option {@link PortRegistry} knows: a misspelt one is an error, not a silent default. */
const OPTION_NAMES: ReadonlySet<string> = new Set([
  'file',
  'range',
  'staleAfterMs',
  'lockStaleMs',
  'lockTimeoutMs',
  'durable',
  'host',
  'maxFileBytes',
  'fileHint',
  'logger',
] satisfies Array<keyof PortRegistryOptions>);

/** Checks a positive integer option, naming it in the error. */
export function positiveInteger(option: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) <= 0)
    throw invalid(option, value, 'a positive integer');
  return value as number;
}

/** Checks a port number, naming the option it came from. */
export function validatePort(option: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 65_535) {
    throw invalid(option, value, 'an integer port from 1 to 65535');
  }
  return value as number;
}

/** Applies defaults and validates every option once. */
export function resolveOptions(options: PortRegistryOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options', options, 'an object');
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      throw new RegistryError(
        'EINVALIDOPTION',
        `unknown option "${name}"; the options are ${[...OPTION_NAMES].join(', ')}`,
      );
    }
  }
  const file = options.file ?? DEFAULTS.file;
  if (typeof file !== 'string' || file === '' || file.includes('\0'))
    throw invalid('file', file, 'a file path');
  const range = options.range ?? DEFAULTS.range;
  if (!Array.isArray(range) || range.length !== 2) throw invalid('range', range, 'a [start, end] pair');
  const start = validatePort('range[0]', range[0]);
  const end = validatePort('range[1]', range[1]);
  if (start > end) throw invalid('range', range, 'a [start, end] pair with start <= end');
  const host = options.host;
  if (host !== undefined && (typeof host !== 'string' || host === ''))
    throw invalid('host', host, 'a host address');
  if (options.durable !== undefined && typeof options.durable !== 'boolean') {
    throw invalid('durable', options.durable, 'a boolean');
  }
  if (options.fileHint !== undefined && (typeof options.fileHint !== 'string' || options.fileHint === '')) {
    throw invalid('fileHint', options.fileHint, 'a non-empty string');
  }
  const logger = options.logger;
  if (
    logger !== undefined &&
    logger !== false &&
    (typeof logger?.info !== 'function' || typeof logger?.warn !== 'function')
  ) {
    throw invalid('logger', logger, 'an object with info() and warn(), or false');
  }
  const resolvedFile = resolve(file);
  return {
    file: resolvedFile,
    lockFile: `${resolvedFile}.lock`,
    range: [start, end],
    staleAfterMs: positiveInteger('staleAfterMs', options.staleAfterMs ?? DEFAULTS.staleAfterMs),
    lockStaleMs: positiveInteger('lockStaleMs', options.lockStaleMs ?? DEFAULTS.lockStaleMs),
    lockTimeoutMs: positiveInteger('lockTimeoutMs', options.lockTimeoutMs ?? DEFAULTS.lockTimeoutMs),
    durable: options.durable ?? false,
    host,
    maxFileBytes: positiveInteger('maxFileBytes', options.maxFileBytes ?? DEFAULTS.maxFileBytes),
    fileHint: options.fileHint ?? 'the "file" option',
    logger: logger === false ? silentLogger : (logger ?? stderrLogger),
  };
}
