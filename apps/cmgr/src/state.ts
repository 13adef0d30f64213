import { stat } from 'node:fs/promises';
import type { PortsRecord } from '@ports/cmgr-config';
import { DEFAULT_RANGE_SIZE, MAX_PORT, MAX_TOOL_OFFSET, MIN_TOOL_OFFSET } from '@ports/cmgr-config/core';
import { adoptBash, BashRegistry } from './adopt.js';
import { CmgrError } from './errors.js';
import { makeDirectories, readFileNoFollow, writeFileAtomic } from './files.js';
import type { Paths } from './paths.js';

/** A tool port as recorded when ports were last applied, so `list` and `ports` need not parse configs. */
export interface RecordedTool {
  readonly server: string;
  /** Canonical known tool (`filesystem`), or absent for another server. */
  readonly tool?: string;
  readonly port: number;
  /** The variable given to Claude Desktop, `FILESYSTEM_PORT`. */
  readonly env: string;
}

/** The process `cmgr start` launched, identified by pid and kernel start time (pids get reused). */
export interface RecordedProcess {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot. Same pid with another start time = another process. */
  readonly startTime: string;
  readonly started: string;
  /** How it was started: inside bubblewrap (the pid is bwrap's) or not. Absent in older records: `none`. */
  readonly sandbox?: StartedSandbox;
}

/** The sandbox an instance was actually started in. */
export type StartedSandbox = 'bwrap' | 'none';

/** A host folder bound at the same path inside the instance's sandbox. */
export interface SharedFolder {
  /** Absolute and normalised. */
  readonly path: string;
  readonly readOnly: boolean;
}

/** One instance in `registry.json`. */
export interface InstanceRecord {
  readonly name: string;
  /** First port of its range, fixed at creation even if MCP_BASE_PORT changes later. */
  readonly base: number;
  readonly size: number;
  readonly sandbox: string;
  /** Whether the port settings are applied (false after --no-ports or --reset-ports). */
  readonly ports: boolean;
  /** Offset of every server ever given one: they never move once given. */
  readonly offsets: Readonly<Record<string, number>>;
  readonly tools: readonly RecordedTool[];
  /**
   * What applying ports added to the sandbox's config (from `portsRecord`), so `--reset-ports` and the
   * re-apply at start take out exactly that; the config file itself carries no marker. Absent while ports
   * are off.
   */
  readonly portsRecord?: PortsRecord;
  readonly created: string;
  /** Folders shared with the sandbox (`create --share`, `cmgr share`), in the order they were added. */
  readonly shares?: readonly SharedFolder[];
  readonly process?: RecordedProcess;
  /** When `cmgr login` marked the instance as the one waiting for a sign-in link (ISO date). */
  readonly loginPending?: string;
}

/** `registry.json`. */
export interface Registry {
  readonly version: 1;
  readonly instances: Readonly<Record<string, InstanceRecord>>;
}

/** `port_registry.json`, in the shape of the older shell tool. */
export interface PortRegistry {
  readonly allocated_ports: Readonly<Record<string, number>>;
}

/** Both state files, as read. */
export interface State {
  readonly registry: Registry;
  readonly portRegistry: PortRegistry;
}

const EMPTY_REGISTRY: Registry = { version: 1, instances: {} };
const EMPTY_PORT_REGISTRY: PortRegistry = { allocated_ports: {} };

/** The error for a state file that cannot be read as cmgr's (exit 3); it is left untouched. */
export function corrupt(path: string, why: string, cause?: unknown): CmgrError {
  return new CmgrError(
    'ESTATECORRUPT',
    `state file ${path} is corrupt (${why}); cmgr left it untouched: fix it or move it aside`,
    { cause },
  );
}

/** The range size the older shell tool used, and that its `port_registry.json` implies for every base. */
export const LEGACY_SIZE = DEFAULT_RANGE_SIZE;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPort = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw corrupt(path, 'not valid JSON', error);
  }
}

// Hand-written checks rather than a schema library: list and ports read this on every run and must start fast.
function checkInstance(path: string, key: string, value: unknown): InstanceRecord {
  const at = `instances.${key}`;
  if (!isObject(value)) throw corrupt(path, `${at} is not an object`);
  if (value.name !== key) throw corrupt(path, `${at}.name does not match its key`);
  if (!isPort(value.base)) throw corrupt(path, `${at}.base is not a port`);
  if (typeof value.size !== 'number' || !Number.isInteger(value.size) || value.size < 1)
    throw corrupt(path, `${at}.size is not a positive integer`);
  if (value.base + value.size - 1 > MAX_PORT)
    throw corrupt(path, `${at}: base ${value.base} and size ${value.size} end past port ${MAX_PORT}`);
  if (typeof value.sandbox !== 'string' || value.sandbox === '')
    throw corrupt(path, `${at}.sandbox is not a path`);
  if (typeof value.ports !== 'boolean') throw corrupt(path, `${at}.ports is not true or false`);
  if (!isObject(value.offsets) || !Object.values(value.offsets).every((v) => Number.isInteger(v)))
    throw corrupt(path, `${at}.offsets is not a map of integers`);
  const last = Math.min(MAX_TOOL_OFFSET, value.size - 1);
  const outside = Object.entries(value.offsets).find(
    ([, v]) => (v as number) < MIN_TOOL_OFFSET || (v as number) > last,
  );
  if (outside)
    throw corrupt(path, `${at}.offsets.${outside[0]} ${outside[1]} is outside ${MIN_TOOL_OFFSET}-${last}`);
  if (
    !Array.isArray(value.tools) ||
    !value.tools.every(
      (t) => isObject(t) && typeof t.server === 'string' && isPort(t.port) && typeof t.env === 'string',
    )
  )
    throw corrupt(path, `${at}.tools is not a list of tool ports`);
  if (typeof value.created !== 'string') throw corrupt(path, `${at}.created is not a date`);
  // Only its shape here; @ports/cmgr-config checks it in full when it is used (list and ports never need it).
  if (value.portsRecord !== undefined && !isObject(value.portsRecord))
    throw corrupt(path, `${at}.portsRecord is not an object`);
  if (
    value.shares !== undefined &&
    !(
      Array.isArray(value.shares) &&
      value.shares.every(
        (share) =>
          isObject(share) &&
          typeof share.path === 'string' &&
          share.path.startsWith('/') &&
          typeof share.readOnly === 'boolean',
      )
    )
  )
    throw corrupt(path, `${at}.shares is not a list of {path, readOnly}`);
  if (value.loginPending !== undefined && typeof value.loginPending !== 'string')
    throw corrupt(path, `${at}.loginPending is not a date`);
  const proc = value.process;
  if (
    proc !== undefined &&
    !(
      isObject(proc) &&
      // 0 and 1 are no process cmgr started, and kill(-0) would signal cmgr's own group.
      Number.isInteger(proc.pid) &&
      (proc.pid as number) > 1 &&
      typeof proc.startTime === 'string' &&
      typeof proc.started === 'string' &&
      (proc.sandbox === undefined || proc.sandbox === 'bwrap' || proc.sandbox === 'none')
    )
  )
    throw corrupt(path, `${at}.process is not a pid record`);
  return value as unknown as InstanceRecord;
}

/**
 * Validates the text of `registry.json`; `path` names the file in errors. A file that may be the bash
 * cmgr's (no `version`, an `instances` object) comes back as a {@link BashRegistry} for the caller to
 * check and adopt.
 */
export function parseRegistry(path: string, text: string): Registry | BashRegistry {
  const value = parseJson(path, text);
  if (!isObject(value)) throw corrupt(path, 'not an object');
  if (value.version === undefined && isObject(value.instances)) return new BashRegistry(value);
  if (value.version !== 1) {
    throw corrupt(path, `unknown version ${JSON.stringify(value.version)}; a newer cmgr may have written it`);
  }
  if (!isObject(value.instances)) throw corrupt(path, 'instances is not an object');
  for (const [key, instance] of Object.entries(value.instances)) checkInstance(path, key, instance);
  return value as unknown as Registry;
}

/** Validates the text of `port_registry.json`. */
export function parsePortRegistry(path: string, text: string): PortRegistry {
  const value = parseJson(path, text);
  if (!isObject(value) || !isObject(value.allocated_ports))
    throw corrupt(path, 'allocated_ports is not an object');
  for (const [key, base] of Object.entries(value.allocated_ports)) {
    if (!isPort(base)) throw corrupt(path, `allocated_ports.${key} is not a port`);
    if (base + LEGACY_SIZE - 1 > MAX_PORT)
      throw corrupt(
        path,
        `allocated_ports.${key} ${base} puts its ${LEGACY_SIZE}-port range past port ${MAX_PORT}`,
      );
  }
  return value as unknown as PortRegistry;
}

/** Both state files as found: ours, or the bash cmgr's registry still to adopt. */
export interface Found {
  readonly registry: Registry | BashRegistry;
  readonly registryText: string | undefined;
  readonly portRegistry: PortRegistry;
  readonly portText: string | undefined;
}

async function readFiles(paths: Paths): Promise<Found> {
  const [registryText, portText] = await Promise.all([
    readFileNoFollow(paths.registry),
    readFileNoFollow(paths.portRegistry),
  ]);
  return {
    registry: registryText === undefined ? EMPTY_REGISTRY : parseRegistry(paths.registry, registryText),
    registryText,
    portRegistry:
      portText === undefined ? EMPTY_PORT_REGISTRY : parsePortRegistry(paths.portRegistry, portText),
    portText,
  };
}

/**
 * Reads both state files; missing files are empty, corrupt ones are an `ESTATECORRUPT` error. The bash
 * cmgr's `registry.json` is adopted first (under the lock, see {@link updateState}).
 */
export async function readState(paths: Paths): Promise<State> {
  const found = await readFiles(paths);
  if (found.registry instanceof BashRegistry) return updateState(paths, async (state) => ({ result: state }));
  return { registry: found.registry, portRegistry: found.portRegistry };
}

/** A state file's text: indented JSON and a final newline. */
const stateText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Writes `registry.json` then `port_registry.json`, each atomically; with `before`, only those that changed. */
export async function writeState(paths: Paths, state: State, before?: State): Promise<void> {
  // A file whose content did not change is left alone: no fsync for nothing, and tools that watch
  // port_registry.json (the older shell tool reads it) see no change where there is none.
  const files = [
    [paths.registry, state.registry, before?.registry],
    [paths.portRegistry, state.portRegistry, before?.portRegistry],
  ] as const;
  for (const [path, value, previous] of files) {
    const text = stateText(value);
    if (!before || text !== stateText(previous)) await writeFileAtomic(path, text);
  }
}

/** How long a command waits for another cmgr to finish with the state. Loaded machines are slow. */
const LOCK_TIMEOUT_MS = 30_000;

/**
 * Runs `fn` with the state read under the lock at `$CMGR_HOME/.lock`. `fn` returns the new state to write
 * (or `undefined` to write nothing) and a result. Lock and write errors become one-line CmgrErrors.
 */
export async function updateState<T>(
  paths: Paths,
  fn: (state: State) => Promise<{ readonly state?: State; readonly result: T }>,
): Promise<T> {
  await makeDirectories(paths.home);
  // A symlink to a directory is the user's choice; a file is a mistake the lock would word badly.
  if (!(await stat(paths.home)).isDirectory()) {
    throw new CmgrError(
      'EFAILED',
      `CMGR_HOME ${paths.home} is not a directory; move the file aside or set CMGR_HOME to a directory`,
    );
  }
  const { withLock, LockError } = await import('@ports/lock');
  try {
    return await withLock(
      paths.lock,
      async (lock) => {
        const found = await readFiles(paths);
        const before =
          found.registry instanceof BashRegistry
            ? await adoptBash(paths, found, () => lock.assertHeld())
            : { registry: found.registry, portRegistry: found.portRegistry };
        const outcome = await fn(before);
        if (outcome.state) {
          lock.assertHeld();
          await writeState(paths, outcome.state, before);
        }
        return outcome.result;
      },
      { timeoutMs: LOCK_TIMEOUT_MS },
    );
  } catch (error) {
    if (error instanceof LockError) {
      if (error.code === 'ELOCKTIMEOUT') {
        throw new CmgrError('EBUSY', `${error.message.split(';')[0]}; another cmgr is busy, try again`, {
          cause: error,
        });
      }
      throw new CmgrError('EFAILED', `${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** Returns `registry` with `record` stored (or the instance removed when `record` is undefined). */
export function withInstance(registry: Registry, name: string, record: InstanceRecord | undefined): Registry {
  const instances = { ...registry.instances };
  if (record) instances[name] = record;
  else delete instances[name];
  return { version: 1, instances };
}

/** Looks up an instance or throws `ENOTFOUND` with what to do. */
export function getInstance(state: State, name: string): InstanceRecord {
  const record = state.registry.instances[name];
  if (!record)
    throw new CmgrError(
      'ENOTFOUND',
      `no instance named '${name}'; 'cmgr list' shows them, 'cmgr create ${name}' makes it`,
    );
  return record;
}
