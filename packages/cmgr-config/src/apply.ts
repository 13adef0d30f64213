import { type InstancePorts, instanceEnv, SERVER_ENV_KEYS, type ToolPort, toolPorts } from './ports.js';
import { attachedRecord, attachRecord, legacyRecord, type PortsRecord, type ServerRecord } from './record.js';
import { removeRecorded } from './reset.js';
import { type ClaudeConfig, LEGACY_MARKER_KEY, type McpServer, parseClaudeConfig } from './schema.js';
import type { ToolOptions } from './tools.js';

/**
 * Merges the ports of `instance` into `config.mcpServers` and returns the new config; nothing but
 * `mcpServers` changes: every other top-level key and every other field of each server is kept, in its
 * place, and the input is never changed. Each server's `env` gets `MCP_PORT` (its own port),
 * `MCP_BASE_PORT` (the instance's first port), `MCP_PORT_RANGE` (the range size, `"100"`) and
 * `CLAUDE_INSTANCE`; a server whose tool spec takes a port argument also gets that appended to `args`.
 *
 * What was added, and any value it replaced, is attached to the returned object as a non-enumerable
 * symbol property (invisible to `JSON.stringify` and deep equality), so `resetPorts(applyPorts(c, i))`
 * deep-equals `c`. Read it with {@link portsRecord} to keep it beside the file.
 *
 * A config that carries such a record (or the `cmgrPorts` key of older versions) is reset first, so
 * applying twice equals applying once. A config read back from a file carries none: call
 * `applyPorts(resetPorts(config, savedRecord), instance)`. Ports and offsets: {@link toolPorts}.
 *
 * @throws {@link CmgrConfigError} `ECONFIGINVALID` for a config of the wrong shape, plus the errors of `toolPorts`.
 * @example
 * ```ts source="./index.examples.ts#applyPorts"
 * const clean = resetPorts(parseClaudeConfig(await readFile(file, 'utf8')), saved.record);
 * const applied = applyPorts(clean, { name: 'work', base: 9100, offsets: saved.offsets });
 * await writeAtomically(file, JSON.stringify(applied, null, 2));
 * saved.record = portsRecord(applied);
 * saved.offsets = toolPorts(clean, { name: 'work', base: 9100, offsets: saved.offsets }).offsets;
 * ```
 */
export function applyPorts(
  config: ClaudeConfig,
  instance: InstancePorts,
  options: ToolOptions = {},
): ClaudeConfig {
  parseClaudeConfig(config);
  const next = structuredClone(config);
  // Only an exact record may undo an earlier application here: guessing would eat values the user set.
  const earlier = attachedRecord(config) ?? legacyRecord(next);
  if (earlier) removeRecorded(next, earlier);
  delete next[LEGACY_MARKER_KEY];
  const plan = toolPorts(next, instance, options);
  const shared = instanceEnv(plan.instance, plan.range);
  const servers: [string, ServerRecord][] = [];
  for (const entry of plan.ports) {
    servers.push([entry.server, addToServer(next.mcpServers![entry.server]!, entry, shared)]);
  }
  const record: PortsRecord = {
    version: 2,
    instance: plan.instance,
    start: plan.range.start,
    end: plan.range.end,
    servers: Object.fromEntries(servers),
  };
  return attachRecord(next, record);
}

function addToServer(server: McpServer, entry: ToolPort, shared: Record<string, string>): ServerRecord {
  const record: ServerRecord = { port: entry.port };
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
