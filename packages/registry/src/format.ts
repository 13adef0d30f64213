/**
 * The on-disk format, kept as the original design gives it so other tools and older processes
 * can read it: `{ "instances": [ { port, instanceId, pid, createdAt, lastHeartbeat } ] }`,
 * timestamps in ms since the epoch. Other fields (ours and other writers') are preserved.
 */

/** One instance's claim on a port, as stored in the registry file. */
export interface RegistryEntry {
  /** The TCP port the instance owns. */
  readonly port: number;
  /** Stable identity of the instance (see `MCP_INSTANCE_ID`). */
  readonly instanceId: string;
  /** Process id of the owner. */
  readonly pid: number;
  /** When the entry was first created (ms since epoch). */
  readonly createdAt: number;
  /** Last sign of life (ms since epoch). */
  readonly lastHeartbeat: number;
  /** Start time of the owner process (Linux clock ticks since boot), to detect pid reuse. */
  readonly startTime?: number;
  /** Host the owner runs on; pids are only checked on the same host. */
  readonly hostname?: string;
  /** Fields written by other tools are kept as they are. */
  readonly [field: string]: unknown;
}

/** A parsed registry file: its entries plus any other top-level keys, kept for the next write. */
export interface RegistryState {
  readonly instances: RegistryEntry[];
  /**
   * Every top-level field of the file besides `instances`, written back as found: other writers' keys,
   * `version`, and ours, the ports of instances that left (`previousPorts`, see `previous-ports.ts`).
   */
  readonly otherFields: Readonly<Record<string, unknown>>;
}

/** Why a file could not be used as a registry. */
export interface CorruptReason {
  /** What is wrong, as a phrase that reads on its own, e.g. `its top level is null, not an object`. */
  readonly corrupt: string;
}

/** Format version we stamp on files we write (readers ignore it). */
export const FORMAT_VERSION = 1;

/** An empty registry. */
export function emptyState(): RegistryState {
  return { instances: [], otherFields: {} };
}

const isPort = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65_535;
const isTimestamp = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Why `value` is not a valid entry, or `undefined` when it is. */
export function entryProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not an object';
  const entry = value as Record<string, unknown>;
  if (!isPort(entry.port)) return `has port ${JSON.stringify(entry.port)}, not an integer 1-65535`;
  if (typeof entry.instanceId !== 'string' || entry.instanceId === '') return 'has no instanceId string';
  if (!Number.isInteger(entry.pid) || (entry.pid as number) <= 0)
    return `has pid ${JSON.stringify(entry.pid)}`;
  if (!isTimestamp(entry.createdAt)) return 'has no numeric createdAt';
  if (!isTimestamp(entry.lastHeartbeat)) return 'has no numeric lastHeartbeat';
  return undefined;
}

/**
 * Parses registry text. Returns the state, with `invalid` listing entries that were dropped
 * (the caller keeps a copy of the original file when there are any), or a {@link CorruptReason}
 * when the file as a whole is unusable (not JSON, not an object, no `instances` array).
 */
export function parseRegistry(
  text: string,
): (RegistryState & { readonly invalid: string[] }) | CorruptReason {
  if (text.trim() === '') return { instances: [], otherFields: {}, invalid: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { corrupt: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      corrupt: `its top level is ${data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data}, not an object`,
    };
  }
  const { instances, ...otherFields } = data as Record<string, unknown>;
  if (!Array.isArray(instances)) return { corrupt: 'it has no "instances" array' };
  const valid: RegistryEntry[] = [];
  const invalid: string[] = [];
  instances.forEach((candidate, index) => {
    const problem = entryProblem(candidate);
    if (problem) invalid.push(`instances[${index}] ${problem}`);
    else valid.push(candidate as RegistryEntry);
  });
  return { instances: valid, otherFields, invalid };
}

/** Serialises a state; entries sorted by port so diffs and humans read it easily. */
export function serializeRegistry(state: RegistryState): string {
  const instances = [...state.instances].sort((a, b) => a.port - b.port);
  return `${JSON.stringify({ ...state.otherFields, version: FORMAT_VERSION, instances }, null, 2)}\n`;
}
