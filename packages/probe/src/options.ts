import { ProbeError } from './errors.js';

/** Options of {@link isPortInUse}. */
export interface IsPortInUseOptions {
  /**
   * Probe only this address (an IP literal, or a name whose every address is probed). Omitted: probe so
   * that a listener on any local address, IPv4 or IPv6, counts.
   */
  readonly host?: string;
  /** Abort the probe; the promise rejects with `signal.reason` and no socket is left open. */
  readonly signal?: AbortSignal;
}

/** Options of {@link findFreePort}. */
export interface FindFreePortOptions extends IsPortInUseOptions {
  /** Inclusive `[start, end]`; candidates are tried from `start` upwards. */
  readonly range: readonly [start: number, end: number];
  /** Ports never to return, even when free. */
  readonly exclude?: Iterable<number>;
}

/** @internal Options after validation, defaults applied. */
export interface ProbeSettings {
  readonly host: string | undefined;
  readonly signal: AbortSignal | undefined;
}

/** @internal Throws `EINVALIDPORT` naming `what` and the value unless `value` is an integer port. */
export function validatePort(value: unknown, what = 'port'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ProbeError(
      'EINVALIDPORT',
      `${what} must be an integer from 1 to 65535, got ${describe(value)}`,
    );
  }
  return value;
}

/** @internal Validates the options shared by every probe. */
export function validateProbeOptions(options: unknown): ProbeSettings {
  if (options === undefined) return { host: undefined, signal: undefined };
  if (typeof options !== 'object' || options === null) {
    throw new ProbeError('EINVALIDOPTION', `options must be an object, got ${describe(options)}`);
  }
  const { host, signal } = options as IsPortInUseOptions;
  if (host !== undefined && (typeof host !== 'string' || host.trim() === '')) {
    throw new ProbeError(
      'EINVALIDOPTION',
      `options.host must be a non-empty string (an IP address or host name), got ${describe(host)}`,
    );
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ProbeError('EINVALIDOPTION', `options.signal must be an AbortSignal, got ${describe(signal)}`);
  }
  return { host: host?.trim(), signal };
}

/** @internal Validated {@link FindFreePortOptions}. */
export interface FindFreePortSettings extends ProbeSettings {
  readonly start: number;
  readonly end: number;
  readonly exclude: ReadonlySet<number>;
}

/** @internal Validates {@link FindFreePortOptions} once, naming the bad option and value. */
export function validateFindFreePortOptions(options: unknown): FindFreePortSettings {
  if (typeof options !== 'object' || options === null) {
    throw new ProbeError(
      'EINVALIDOPTION',
      `options must be an object with a range, like { range: [8765, 8775] }, got ${describe(options)}`,
    );
  }
  const settings = validateProbeOptions(options);
  const { range, exclude } = options as FindFreePortOptions;
  if (!Array.isArray(range) || range.length !== 2) {
    throw new ProbeError(
      'EINVALIDPORT',
      `options.range must be [start, end], like [8765, 8775], got ${describe(range)}`,
    );
  }
  const start = validatePort(range[0], 'options.range start');
  const end = validatePort(range[1], 'options.range end');
  if (start > end) {
    throw new ProbeError(
      'EINVALIDPORT',
      `options.range start (${start}) must not be greater than its end (${end})`,
    );
  }
  const excluded = new Set<number>();
  if (exclude !== undefined) {
    if (typeof exclude !== 'object' || exclude === null || !(Symbol.iterator in exclude)) {
      throw new ProbeError(
        'EINVALIDOPTION',
        `options.exclude must be an array (or other iterable) of ports, got ${describe(exclude)}`,
      );
    }
    for (const port of exclude) excluded.add(validatePort(port, 'options.exclude entry'));
  }
  return { ...settings, start, end, exclude: excluded };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) {
    try {
      return JSON.stringify(value);
    } catch {
      return 'an array';
    }
  }
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : typeof value;
}
