import { CmgrConfigError, show } from './errors.js';
import { validateInstanceName } from './name.js';
import { assignOffsets, type OffsetMap } from './offsets.js';
import { instanceRange, type PortRange, resolveRangeOptions } from './range.js';
import { type ClaudeConfig, parseClaudeConfig } from './schema.js';
import { checkTools, KNOWN_TOOLS, recogniseTool, type ToolOptions, toolEnvName } from './tools.js';

/** The environment variables `applyPorts` sets in each server's `env`, in the order it adds them. */
export const SERVER_ENV_KEYS = ['MCP_PORT', 'MCP_BASE_PORT', 'MCP_PORT_RANGE', 'CLAUDE_INSTANCE'] as const;

/** One cmgr instance, as far as its ports go. */
export interface InstancePorts {
  /** Instance name, checked by `validateInstanceName`. Given to servers as `CLAUDE_INSTANCE`. */
  readonly name: string;
  /**
   * First port of the instance's range: the base recorded when it was created, kept when defaults change.
   * Required unless `slot` is given.
   */
  readonly base?: number;
  /**
   * The instance's 1-based slot on the default grid (slot 1 starts at 9000, slot n at 9000 + (n - 1) × size),
   * for callers that think in slots: `{ name: 'work', slot: 2 }` is `{ name: 'work', base: 9100 }`. Given
   * with `base`, the two must agree.
   */
  readonly slot?: number;
  /** Ports in the range, at least 100. Default 100. */
  readonly size?: number;
  /** Offsets given earlier, as returned by `toolPorts`; honoured so no tool moves. */
  readonly offsets?: OffsetMap;
}

/** The port of one `mcpServers` entry. */
export interface ToolPort {
  /** The `mcpServers` key. */
  readonly server: string;
  /** Canonical name of the known tool it runs (`filesystem`), or `undefined` for another tool. */
  readonly tool: string | undefined;
  /** Offset inside the instance's range, 10..99. */
  readonly offset: number;
  /** `range.start + offset`. */
  readonly port: number;
  /** The variable `cmgr start` sets to `port`: `FILESYSTEM_PORT`, or the server key upper-snake-cased. */
  readonly envName: string;
  /** Arguments `applyPorts` appends to the server's `args`; empty unless the tool's spec takes a port. */
  readonly portArgs: readonly string[];
}

/** The ports of one instance: its range, each server's port, and the offsets to persist. */
export interface InstancePortPlan {
  readonly instance: string;
  readonly range: PortRange;
  /** Sorted by server key. */
  readonly ports: readonly ToolPort[];
  /** Every current server's offset; persist it and pass it back as `instance.offsets`. */
  readonly offsets: OffsetMap;
}

/** The first port and size of `instance`'s range, from its `base` or its `slot`; never a silent default. */
function instanceStart(instance: InstancePorts): { start: number; size: number } {
  if (typeof instance !== 'object' || instance === null) {
    throw new CmgrConfigError(
      'EINVALIDOPTION',
      `instance must be an object like { name, base }, got ${show(instance)}`,
    );
  }
  const { base, slot, size } = instance;
  // null counts as not given (JSON has no undefined); neither given is an error, never a default range.
  if (slot === undefined || slot === null) {
    if (base === undefined || base === null) {
      throw new CmgrConfigError(
        'EINVALIDOPTION',
        `instance ${show(instance.name)} needs base (the first port of its range, e.g. 9100) or slot (e.g. 2)`,
      );
    }
    const resolved = resolveRangeOptions({ base, size });
    return { start: resolved.base, size: resolved.size };
  }
  const range = instanceRange(slot, { size });
  if (base !== undefined && base !== null && base !== range.start) {
    throw new CmgrConfigError(
      'EINVALIDOPTION',
      `instance ${show(instance.name)} has base ${show(base)} but slot ${show(slot)} starts at ${range.start}: give one of them`,
    );
  }
  return { start: range.start, size: range.end - range.start + 1 };
}

/**
 * Works out the port of every server in `config.mcpServers` for `instance` without changing anything. This is
 * what `cmgr ports` lists and what {@link applyPorts} and {@link toolPortEnv} are built on.
 *
 * @throws {@link CmgrConfigError} `ECONFIGINVALID` for a config of the wrong shape; `EINVALIDNAME`,
 * `EINVALIDOPTION`, `ERANGEOVERFLOW` for a bad instance;
 * `EOFFSETSEXHAUSTED` when the instance has more tools than free offsets.
 * @example
 * ```ts source="./index.examples.ts#toolPorts"
 * const plan = toolPorts(config, { name: 'work', base: 9100 });
 * plan.ports; // [{ server: 'filesystem', tool: 'filesystem', offset: 10, port: 9110, ... }, ...]
 * ```
 */
export function toolPorts(
  config: ClaudeConfig,
  instance: InstancePorts,
  options: ToolOptions = {},
): InstancePortPlan {
  parseClaudeConfig(config);
  const tools = checkTools(options.tools ?? KNOWN_TOOLS);
  const name = validateInstanceName(instance.name);
  const { start, size } = instanceStart(instance);
  const range = { start, end: start + size - 1 };
  const servers = config.mcpServers ?? {};
  const requests = Object.keys(servers).map((server) => ({
    server,
    tool: recogniseTool(server, servers[server]!, tools),
  }));
  const offsets = assignOffsets(requests, instance.offsets ?? {}, tools);
  const ports = requests
    .map(({ server, tool }): ToolPort => {
      const offset = offsets.get(server)!;
      const port = start + offset;
      // Only the server that holds a known tool's fixed offset speaks for that tool; a second copy is just a server.
      const holdsTool = tool !== undefined && tool.offset === offset;
      return {
        server,
        tool: holdsTool ? tool.name : undefined,
        offset,
        port,
        envName: toolEnvName(holdsTool ? tool.name : server),
        portArgs: holdsTool && tool.portArgs ? [...tool.portArgs(port)] : [],
      };
    })
    .sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : 0));
  return {
    instance: name,
    range,
    ports,
    offsets: Object.fromEntries(ports.map((entry) => [entry.server, entry.offset])),
  };
}

/**
 * The variables `cmgr start` gives the Claude Desktop process of `instance`: `CLAUDE_INSTANCE`,
 * `MCP_BASE_PORT` (the instance's first port), `MCP_PORT_RANGE` (its size, `"100"`: the same meaning cmgr
 * reads it with, so cmgr run inside an instance works) and one `<TOOL>_PORT` per server (`FILESYSTEM_PORT`,
 * `SEQUENTIAL_THINKING_PORT`, `PLAYWRIGHT_MCP_SERVER_PORT`; other servers by their key upper-snake-cased).
 *
 * @throws {@link CmgrConfigError} `EENVCOLLISION` when two servers map to one variable (`my-db` and
 * `my_db`), plus the errors of {@link toolPorts}.
 * @example
 * ```ts source="./index.examples.ts#toolPortEnv"
 * spawn(command, { env: { ...process.env, ...toolPortEnv(config, instance), HOME: sandbox } });
 * ```
 */
export function toolPortEnv(
  config: ClaudeConfig,
  instance: InstancePorts,
  options: ToolOptions = {},
): Record<string, string> {
  const plan = toolPorts(config, instance, options);
  const env = new Map<string, string>(Object.entries(instanceEnv(plan.instance, plan.range)));
  const owners = new Map<string, string>();
  for (const entry of plan.ports) {
    if (env.has(entry.envName)) {
      const other = owners.get(entry.envName);
      throw new CmgrConfigError(
        'EENVCOLLISION',
        `server ${show(entry.server)} would set ${entry.envName}, which ` +
          `${other === undefined ? 'cmgr sets itself' : `server ${show(other)} also sets`}: rename one of them in mcpServers`,
      );
    }
    env.set(entry.envName, String(entry.port));
    owners.set(entry.envName, entry.server);
  }
  return Object.fromEntries(env);
}

/** The variables that describe the instance itself, shared by {@link toolPortEnv} and `applyPorts`. */
export function instanceEnv(instance: string, range: PortRange): Record<string, string> {
  return {
    CLAUDE_INSTANCE: instance,
    MCP_BASE_PORT: String(range.start),
    MCP_PORT_RANGE: String(range.end - range.start + 1),
  };
}
