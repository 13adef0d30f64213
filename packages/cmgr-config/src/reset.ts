import { INSTANCE_NAME_PATTERN } from './name.js';
import { SERVER_ENV_KEYS } from './ports.js';
import { DEFAULT_RANGE_SIZE, MAX_PORT } from './range.js';
import { attachedRecord, checkRecord, legacyRecord, type PortsRecord, type ServerRecord } from './record.js';
import { type ClaudeConfig, LEGACY_MARKER_KEY, type McpServer, parseClaudeConfig } from './schema.js';
import { KNOWN_TOOLS, MAX_TOOL_OFFSET, MIN_TOOL_OFFSET, recogniseTool, type ToolOptions } from './tools.js';

/**
 * Takes the ports of `applyPorts` out of a config and returns the new config; the input is never changed.
 *
 * With a record (the `record` argument, else the one `applyPorts` attached to `config`, else the
 * `cmgrPorts` key an older version kept in the file, which is removed) exactly what was added comes out:
 * the four variables (a value the user had before is put back), an `env` or `args` it created, arguments
 * it appended. A value changed since, a server added since, and everything else stay as they are.
 * `resetPorts(applyPorts(c, i))` and `resetPorts(JSON.parse(JSON.stringify(applyPorts(c, i))), record)`
 * both deep-equal `c`.
 *
 * Without any record, it removes `MCP_PORT`, `MCP_BASE_PORT`, `MCP_PORT_RANGE` and `CLAUDE_INSTANCE` from
 * a server only when all four are there and consistent with cmgr's ports (a valid instance name, a base
 * port, a size of at least 100 within 65535, `MCP_PORT` at offset +10..+99), plus a port argument its tool
 * spec would have appended, and drops an `env` or `args` left empty. That is a best guess: a value the user
 * had before `applyPorts` replaced it, or an empty `env` the user wrote, cannot be told apart.
 *
 * @throws {@link CmgrConfigError} `ECONFIGINVALID` for a config of the wrong shape or a damaged
 * `cmgrPorts`; `EINVALIDRECORD` for a `record` that is not one {@link portsRecord} returned.
 * @example
 * ```ts source="./index.examples.ts#resetPorts"
 * const original = resetPorts(applyPorts(config, { name: 'work', base: 9100 })); // deep-equals config
 * const fromDisk = resetPorts(parseClaudeConfig(text), saved.record);
 * ```
 */
export function resetPorts(
  config: ClaudeConfig,
  record?: PortsRecord,
  options: ToolOptions = {},
): ClaudeConfig {
  parseClaudeConfig(config);
  const given = record === undefined ? undefined : checkRecord(record);
  const next = structuredClone(config);
  const chosen = given ?? attachedRecord(config) ?? legacyRecord(next);
  delete next[LEGACY_MARKER_KEY];
  if (chosen) removeRecorded(next, chosen);
  else removeConsistent(next, options);
  return next;
}

/** Takes out of `config` (in place) what `record` says `applyPorts` added. */
export function removeRecorded(config: ClaudeConfig, record: PortsRecord): void {
  const servers = config.mcpServers ?? {};
  const size = record.end - record.start + 1;
  const shared = {
    MCP_BASE_PORT: String(record.start),
    // Version 1 wrote the range as "start-end"; it is the size now.
    MCP_PORT_RANGE: record.version === 1 ? `${record.start}-${record.end}` : String(size),
    CLAUDE_INSTANCE: record.instance,
  };
  for (const [name, server] of Object.entries(record.servers)) {
    if (Object.hasOwn(servers, name)) removeFromServer(servers[name]!, server, shared);
  }
}

function removeFromServer(server: McpServer, record: ServerRecord, shared: Record<string, string>): void {
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

function removeConsistent(config: ClaudeConfig, options: ToolOptions): void {
  const tools = options.tools ?? KNOWN_TOOLS;
  for (const [name, server] of Object.entries(config.mcpServers ?? {})) {
    const env = server.env;
    const found = env && consistentPorts(env);
    if (!env || !found) continue;
    for (const key of SERVER_ENV_KEYS) delete env[key];
    if (Object.keys(env).length === 0) delete server.env;
    const tool = recogniseTool(name, server, tools);
    if (tool?.portArgs && found.port === found.base + tool.offset && server.args) {
      const run = tool.portArgs(found.port);
      const at = lastIndexOfRun(server.args, run);
      if (run.length > 0 && at >= 0 && at + run.length === server.args.length) {
        server.args.splice(at, run.length);
        if (server.args.length === 0) delete server.args;
      }
    }
  }
}

/** The port and base when the four variables hold what cmgr could have written, else `undefined`. */
function consistentPorts(env: Record<string, string>): { port: number; base: number } | undefined {
  const { MCP_PORT: port, MCP_BASE_PORT: base, MCP_PORT_RANGE: range, CLAUDE_INSTANCE: name } = env;
  if (port === undefined || base === undefined || range === undefined || name === undefined) return undefined;
  if (!INSTANCE_NAME_PATTERN.test(name) || !/^\d{1,5}$/.test(port) || !/^\d{1,5}$/.test(base))
    return undefined;
  const start = Number(base);
  const own = Number(port);
  // The size cmgr writes now, or the "start-end" older versions wrote.
  const legacy = /^(\d{1,5})-(\d{1,5})$/.exec(range);
  const size = legacy
    ? Number(legacy[1]) === start
      ? Number(legacy[2]) - start + 1
      : Number.NaN
    : /^\d{1,5}$/.test(range)
      ? Number(range)
      : Number.NaN;
  if (!(start >= 1 && size >= DEFAULT_RANGE_SIZE && start + size - 1 <= MAX_PORT)) return undefined;
  if (own < start + MIN_TOOL_OFFSET || own > start + MAX_TOOL_OFFSET) return undefined;
  return { port: own, base: start };
}

function lastIndexOfRun(values: readonly string[], run: readonly string[]): number {
  for (let at = values.length - run.length; at >= 0; at -= 1) {
    if (run.every((value, index) => values[at + index] === value)) return at;
  }
  return -1;
}
