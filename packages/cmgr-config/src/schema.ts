import { z } from 'zod';
import { CmgrConfigError, show } from './errors.js';

/** One entry of `mcpServers`. Fields this package does not know are kept as they are. */
export interface McpServer {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  [field: string]: unknown;
}

/** A `claude_desktop_config.json`. Keys this package does not know are kept as they are. */
export interface ClaudeConfig {
  mcpServers?: Record<string, McpServer>;
  [key: string]: unknown;
}

const serverSchema = z.looseObject({
  command: z.string(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
});

const serverRecordSchema = z.strictObject({
  port: z.number().int().min(1).max(65535),
  envCreated: z.literal(true).optional(),
  previousEnv: z.record(z.string(), z.string()).optional(),
  addedArgs: z.array(z.string()).optional(),
  argsCreated: z.literal(true).optional(),
});

/**
 * Shape of a ports record; strict, since only `applyPorts` writes it and anything else means it was damaged.
 * Version 1 is the old format, kept in the config under `cmgrPorts`, whose servers were given
 * `MCP_PORT_RANGE` as `"start-end"`; version 2 is what `applyPorts` records now, with the range size.
 */
export const recordSchema = z.strictObject({
  version: z.union([z.literal(1), z.literal(2)]),
  instance: z.string(),
  start: z.number().int().min(1).max(65535),
  end: z.number().int().min(1).max(65535),
  servers: z.record(z.string(), serverRecordSchema),
});

/** Top-level key under which older versions kept the record in the config itself; read once, then removed. */
export const LEGACY_MARKER_KEY = 'cmgrPorts';

const configSchema = z.looseObject({
  mcpServers: z.record(z.string(), serverSchema).optional(),
  [LEGACY_MARKER_KEY]: recordSchema.extend({ version: z.literal(1) }).optional(),
});

/**
 * Validates a `claude_desktop_config.json`, given as its text or as an already parsed value, and returns it
 * typed (the parsed value itself: nothing is dropped or reordered).
 *
 * @throws {@link CmgrConfigError} `ECONFIGJSON` when the text is not JSON; `ECONFIGINVALID` when a field has
 * the wrong type, with the path of the first bad field in the message and in `error.path`
 * (`mcpServers.fs.args[1]: expected string, got 3`).
 * @example
 * ```ts source="./index.examples.ts#parseClaudeConfig"
 * const config = parseClaudeConfig(await readFile(file, 'utf8'));
 * ```
 */
export function parseClaudeConfig(input: unknown): ClaudeConfig {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new CmgrConfigError(
        'ECONFIGJSON',
        `the config is not valid JSON (${(error as Error).message.replace(/\s+/g, ' ')}); fix the file or restore a backup`,
        { cause: error },
      );
    }
  }
  const result = configSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw invalid(issue.path, describeIssue(issue, value));
  }
  checkReservedKeys(value as ClaudeConfig);
  return value as ClaudeConfig;
}

/** Formats a path the way a reader finds it in the file: `mcpServers.fs.args[1]`, `mcpServers["my server"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$-]*$/.test(part))
      text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text === '' ? '(top level)' : text;
}

/** An `ECONFIGINVALID` error naming the path of the bad field. */
export function invalid(path: readonly PropertyKey[], detail: string): CmgrConfigError {
  const where = formatPath(path);
  return new CmgrConfigError('ECONFIGINVALID', `${where}: ${detail}; fix that field and try again`, {
    path: where,
  });
}

/** One zod issue in words: `expected string, got 3`. */
export function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  if (issue.code === 'invalid_type') {
    const actual = valueAt(root, issue.path);
    return actual.found
      ? `expected ${issue.expected}, got ${actual.value === undefined ? 'nothing' : show(actual.value)}`
      : `expected ${issue.expected}`;
  }
  if (issue.code === 'unrecognized_keys')
    return `unexpected key ${issue.keys.map((key) => show(key)).join(', ')}`;
  return issue.message;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let current = root;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return { found: false };
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return { found: true, value: current };
}

// zod skips "__proto__" keys of records, so a bad value there would pass unseen; JavaScript code reading the
// file (Claude Desktop included) would mistake such a key for the prototype, so refuse it outright.
function checkReservedKeys(config: ClaudeConfig): void {
  const servers = config.mcpServers ?? {};
  if (Object.hasOwn(servers, '__proto__')) {
    throw invalid(['mcpServers', '__proto__'], 'a server cannot be named "__proto__"; rename it');
  }
  for (const [name, server] of Object.entries(servers)) {
    if (server.env && Object.hasOwn(server.env, '__proto__')) {
      throw invalid(
        ['mcpServers', name, 'env', '__proto__'],
        'an environment variable cannot be named "__proto__"',
      );
    }
  }
}
