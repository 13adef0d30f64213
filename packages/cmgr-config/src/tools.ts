import { CmgrConfigError, show } from './errors.js';

/** Lowest offset a tool may get inside its instance's range; below it is left free for the instance itself. */
export const MIN_TOOL_OFFSET = 10;
/** Highest offset a tool may get, so every tool fits the smallest range of 100 ports. */
export const MAX_TOOL_OFFSET = 99;

/** What cmgr knows about one MCP tool. The table of these is data: add a row to teach cmgr a tool. */
export interface ToolSpec {
  /**
   * Canonical name, e.g. `filesystem`. An `mcpServers` key recognises the tool when it equals this name,
   * ignoring case and treating `_` like `-`. Also names the start-up variable: `FILESYSTEM_PORT`.
   */
  readonly name: string;
  /** Fixed offset of the tool's port inside its instance's range, 10..99, unique in the table. */
  readonly offset: number;
  /** npm packages that recognise the tool when one appears in the server's `args` (also as `pkg@version`). */
  readonly packages: readonly string[];
  /**
   * Arguments telling the server its port while it stays a stdio server; appended to `args` by `applyPorts`.
   * Leave it out for servers that take none: an argument that switches transport or is read as something
   * else breaks the server.
   */
  readonly portArgs?: (port: number) => readonly string[];
}

/**
 * The tools cmgr knows. None takes a port argument: `--port` switches both playwright servers from stdio to
 * HTTP, and the filesystem server would read it as a directory to serve.
 */
export const KNOWN_TOOLS: readonly ToolSpec[] = Object.freeze([
  Object.freeze({ name: 'filesystem', offset: 10, packages: ['@modelcontextprotocol/server-filesystem'] }),
  Object.freeze({
    name: 'sequential-thinking',
    offset: 20,
    packages: ['@modelcontextprotocol/server-sequential-thinking'],
  }),
  Object.freeze({ name: 'memory', offset: 30, packages: ['@modelcontextprotocol/server-memory'] }),
  Object.freeze({ name: 'desktop-commander', offset: 40, packages: ['@wonderwhy-er/desktop-commander'] }),
  Object.freeze({ name: 'repl', offset: 50, packages: [] }),
  Object.freeze({
    name: 'playwright-mcp-server',
    offset: 60,
    packages: ['@executeautomation/playwright-mcp-server', '@playwright/mcp'],
  }),
]);

/** Options shared by the functions that look tools up. */
export interface ToolOptions {
  /** The tool table. Default {@link KNOWN_TOOLS}. */
  readonly tools?: readonly ToolSpec[];
}

/**
 * Checks a tool table once: names unique and non-empty, offsets unique integers in 10..99.
 *
 * @throws {@link CmgrConfigError} `EINVALIDOPTION` naming the bad row.
 */
export function checkTools(tools: readonly ToolSpec[]): readonly ToolSpec[] {
  const names = new Set<string>();
  const offsets = new Set<number>();
  for (const tool of tools) {
    const key = normaliseKey(String(tool.name));
    const { offset } = tool;
    if (key === '' || names.has(key)) {
      throw new CmgrConfigError(
        'EINVALIDOPTION',
        `option tools: name ${show(tool.name)} is empty or repeated`,
      );
    }
    if (
      !Number.isInteger(offset) ||
      offset < MIN_TOOL_OFFSET ||
      offset > MAX_TOOL_OFFSET ||
      offsets.has(offset)
    ) {
      throw new CmgrConfigError(
        'EINVALIDOPTION',
        `option tools: ${tool.name} has offset ${show(offset)}; use a unique integer ${MIN_TOOL_OFFSET}-${MAX_TOOL_OFFSET}`,
      );
    }
    names.add(key);
    offsets.add(offset);
  }
  return tools;
}

/** The parts of an `mcpServers` entry that identify the tool it runs. */
export interface ServerIdentity {
  readonly args?: readonly string[] | undefined;
}

/**
 * The tool an `mcpServers` entry runs: first by a known package in its `args` (what actually runs), then by
 * its key. `undefined` for a tool not in the table.
 *
 * @example
 * ```ts source="./index.examples.ts#recogniseTool"
 * recogniseTool('files', { args: ['-y', '@modelcontextprotocol/server-filesystem@2025.1.1', '/home'] })?.name;
 * // 'filesystem'
 * recogniseTool('Sequential_Thinking', {})?.offset; // 20
 * ```
 */
export function recogniseTool(
  serverName: string,
  server: ServerIdentity,
  tools: readonly ToolSpec[] = KNOWN_TOOLS,
): ToolSpec | undefined {
  for (const arg of server.args ?? []) {
    const tool = tools.find((candidate) => candidate.packages.some((pkg) => argNamesPackage(arg, pkg)));
    if (tool) return tool;
  }
  const key = normaliseKey(serverName);
  return tools.find((tool) => normaliseKey(tool.name) === key);
}

/** Whether a server key names `tool` itself (`filesystem`, `FileSystem`), rather than only running it. */
export function keyNamesTool(serverName: string, tool: ToolSpec): boolean {
  return normaliseKey(serverName) === normaliseKey(tool.name);
}

/**
 * The start-up variable for a tool's port: the name upper-snake-cased plus `_PORT`
 * (`sequential-thinking` → `SEQUENTIAL_THINKING_PORT`, `my.db` → `MY_DB_PORT`). A name starting with a digit
 * gets a leading `_` so the result is a valid shell variable name.
 */
export function toolEnvName(name: string): string {
  const snake = name
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return `${/^[0-9]/.test(snake) ? '_' : ''}${snake}_PORT`;
}

function normaliseKey(name: string): string {
  return name.toLowerCase().replaceAll('_', '-');
}

function argNamesPackage(arg: string, pkg: string): boolean {
  return (
    arg === pkg ||
    arg.startsWith(`${pkg}@`) ||
    // An installed copy run by path: node /usr/lib/node_modules/<pkg>/dist/index.js
    arg.includes(`/node_modules/${pkg}/`) ||
    arg.endsWith(`/node_modules/${pkg}`)
  );
}
