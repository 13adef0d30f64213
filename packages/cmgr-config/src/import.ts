import type { PortsRecord } from './record.js';
import { resetPorts } from './reset.js';
import { type ClaudeConfig, type McpServer, parseClaudeConfig } from './schema.js';
import type { ToolOptions } from './tools.js';

/** Options of {@link importServers}. */
export interface ImportOptions extends ToolOptions {
  /**
   * The ports record of the source, when the source is an instance whose ports are applied: exactly those
   * ports come out of the imported servers. Without one, the four variables are taken out of a server
   * only where they look like cmgr's (as {@link resetPorts} does without a record).
   */
  readonly sourceRecord?: PortsRecord;
}

/** What {@link importServers} returns: the merged config and which servers it touched. */
export interface ImportResult {
  /** The target with the source's servers merged in; every key other than `mcpServers` untouched. */
  readonly config: ClaudeConfig;
  /** Servers of the source that the target did not have, in the source's order. */
  readonly added: readonly string[];
  /** Servers of the target replaced by the source's server of the same name. */
  readonly replaced: readonly string[];
  /** Servers of the target the source does not have, kept as they were. */
  readonly kept: readonly string[];
}

/**
 * Copies the `mcpServers` of `source` into `target` and returns the result; neither input is changed.
 * A server of the same name is replaced (in its place), a new one is appended, the target's other
 * servers and every top-level key that is not `mcpServers` stay as they are.
 *
 * The imported servers carry none of the source's ports: they are reset first (with `sourceRecord`
 * when given), so applying the target's ports afterwards gives them ports of the target's range only.
 * `target` should carry no ports either (reset it with its own record first), since what is merged
 * into it is plain user configuration.
 *
 * @throws {@link CmgrConfigError} `ECONFIGINVALID` when either config has the wrong shape (the message
 * names the field), `EINVALIDRECORD` for a damaged `sourceRecord`.
 * @example
 * ```ts source="./index.examples.ts#importServers"
 * const clean = resetPorts(targetConfig, target.record);
 * const { config } = importServers(clean, sourceConfig, { sourceRecord: source.record });
 * const applied = applyPorts(config, { name: 'work', base: 9100, offsets: target.offsets });
 * ```
 */
export function importServers(
  target: ClaudeConfig,
  source: ClaudeConfig,
  options: ImportOptions = {},
): ImportResult {
  parseClaudeConfig(target);
  const plain = resetPorts(source, options.sourceRecord, options);
  const next = structuredClone(target);
  const incoming = plain.mcpServers ?? {};
  const current = next.mcpServers ?? {};
  const servers: Record<string, McpServer> = {};
  const replaced: string[] = [];
  const kept: string[] = [];
  for (const [name, server] of Object.entries(current)) {
    if (Object.hasOwn(incoming, name)) {
      servers[name] = structuredClone(incoming[name]!);
      replaced.push(name);
    } else {
      servers[name] = server;
      kept.push(name);
    }
  }
  const added: string[] = [];
  for (const [name, server] of Object.entries(incoming)) {
    if (Object.hasOwn(current, name)) continue;
    servers[name] = structuredClone(server);
    added.push(name);
  }
  if (next.mcpServers !== undefined || Object.keys(servers).length > 0) next.mcpServers = servers;
  return { config: next, added, replaced, kept };
}
