import type { OffsetMap } from './offsets.js';
import { type InstancePorts, instanceEnv, type ToolPort, toolPorts } from './ports.js';
import type { PortRange } from './range.js';
import {
  type ClaudeConfig,
  type MarkerServer,
  type McpServer,
  PORTS_MARKER_KEY,
  type PortsMarker,
  parseClaudeConfig,
  readPortsMarker,
} from './schema.js';
import type { ToolOptions } from './tools.js';

/** The environment variables `applyPorts` sets in each server's `env`, in the order it adds them. */
export const SERVER_ENV_KEYS = ['MCP_PORT', 'MCP_BASE_PORT', 'MCP_PORT_RANGE', 'CLAUDE_INSTANCE'] as const;

/** What {@link applyPorts} returns. */
export interface AppliedPorts {
  /** A new config with the ports merged in; the input is never changed. */
  readonly config: ClaudeConfig;
  /** Every server's offset: persist it and pass it back as `instance.offsets` so no tool ever moves. */
  readonly offsets: OffsetMap;
  /** Each server's port, sorted by server key. */
  readonly ports: readonly ToolPort[];
  readonly range: PortRange;
}

/**
 * Merges the ports of `instance` into `config.mcpServers` and changes nothing else: every other top-level key
 * and every other field of each server is kept, in its place. Each server's `env` gets `MCP_PORT` (its own
 * port), `MCP_BASE_PORT`, `MCP_PORT_RANGE` (`"9000-9099"`) and `CLAUDE_INSTANCE`; a server whose tool spec
 * takes a port argument also gets that appended to `args`. What was added, and any value it replaced, is
 * recorded under the top-level key `cmgrPorts` so {@link resetPorts} can take out exactly that.
 *
 * Applying again (same or another instance) first takes the previous application out, so applying twice
 * equals applying once.
 *
 * @throws {@link CmgrConfigError} `ECONFIGINVALID` for a config of the wrong shape, plus the errors of `toolPorts`.
 * @example
 * ```ts
 * const config = parseClaudeConfig(await readFile(file, 'utf8'));
 * const applied = applyPorts(config, { name: 'work', base: 9100, offsets: saved.offsets });
 * await writeAtomically(file, JSON.stringify(applied.config, null, 2));
 * saved.offsets = applied.offsets;
 * ```
 */
export function applyPorts(
  config: ClaudeConfig,
  instance: InstancePorts,
  options: ToolOptions = {},
): AppliedPorts {
  const next = resetPorts(config);
  const plan = toolPorts(next, instance, options);
  const shared = instanceEnv(plan.instance, plan.range);
  const records: [string, MarkerServer][] = [];
  for (const entry of plan.ports) {
    const server = next.mcpServers![entry.server]!;
    records.push([entry.server, addToServer(server, entry, shared)]);
  }
  const marker: PortsMarker = {
    version: 1,
    instance: plan.instance,
    start: plan.range.start,
    end: plan.range.end,
    servers: Object.fromEntries(records),
  };
  next[PORTS_MARKER_KEY] = marker;
  return { config: next, offsets: plan.offsets, ports: plan.ports, range: plan.range };
}

/**
 * Takes out exactly what {@link applyPorts} added, as recorded in its `cmgrPorts` marker: the four
 * variables (a value the user had before is put back), an `env` or `args` it created, arguments it
 * appended, and the marker itself. A value changed since, a server added since, and everything else stay
 * as they are. A config without the marker comes back unchanged (as a copy).
 *
 * `resetPorts(applyPorts(config, instance).config)` deep-equals `config`, key order included.
 *
 * @throws {@link CmgrConfigError} `ECONFIGINVALID` for a config of the wrong shape or a damaged marker.
 */
export function resetPorts(config: ClaudeConfig): ClaudeConfig {
  parseClaudeConfig(config);
  const next = structuredClone(config);
  const marker = readPortsMarker(next);
  if (!marker) return next;
  const shared = instanceEnv(marker.instance, marker);
  const servers = next.mcpServers ?? {};
  for (const [name, record] of Object.entries(marker.servers)) {
    if (Object.hasOwn(servers, name)) removeFromServer(servers[name]!, record, shared);
  }
  delete next[PORTS_MARKER_KEY];
  return next;
}

/**
 * Which instance's ports the config carries, read from the marker `applyPorts` leaves, or `undefined` when
 * ports are not applied.
 */
export function appliedPorts(
  config: ClaudeConfig,
): { readonly instance: string; readonly range: PortRange } | undefined {
  const marker = readPortsMarker(config);
  return marker && { instance: marker.instance, range: { start: marker.start, end: marker.end } };
}

function addToServer(server: McpServer, entry: ToolPort, shared: Record<string, string>): MarkerServer {
  const record: MarkerServer = { port: entry.port };
  if (server.env === undefined) {
    server.env = {};
    record.envCreated = true;
  }
  const wanted: Record<string, string> = { MCP_PORT: String(entry.port), ...shared };
  const previous: Record<string, string> = {};
  for (const key of SERVER_ENV_KEYS) {
    if (Object.hasOwn(server.env, key)) previous[key] = server.env[key]!;
    server.env[key] = wanted[key]!;
  }
  if (Object.keys(previous).length > 0) record.previousEnv = previous;
  if (entry.portArgs.length > 0) {
    if (server.args === undefined) {
      server.args = [];
      record.argsCreated = true;
    }
    server.args.push(...entry.portArgs);
    record.addedArgs = [...entry.portArgs];
  }
  return record;
}

function removeFromServer(server: McpServer, record: MarkerServer, shared: Record<string, string>): void {
  const written: Record<string, string> = { MCP_PORT: String(record.port), ...shared };
  const { env } = server;
  if (env) {
    for (const key of SERVER_ENV_KEYS) {
      // A value that differs from what applyPorts wrote was set by someone since: it is theirs now.
      if (!Object.hasOwn(env, key) || env[key] !== written[key]) continue;
      if (record.previousEnv && Object.hasOwn(record.previousEnv, key)) env[key] = record.previousEnv[key]!;
      else delete env[key];
    }
    if (record.envCreated && Object.keys(env).length === 0) delete server.env;
  }
  const added = record.addedArgs ?? [];
  if (server.args && added.length > 0) {
    const at = lastIndexOfRun(server.args, added);
    if (at >= 0) server.args.splice(at, added.length);
  }
  if (record.argsCreated && server.args?.length === 0) delete server.args;
}

function lastIndexOfRun(values: readonly string[], run: readonly string[]): number {
  for (let at = values.length - run.length; at >= 0; at -= 1) {
    if (run.every((value, index) => values[at + index] === value)) return at;
  }
  return -1;
}
