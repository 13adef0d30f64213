import { describe, expect, it } from 'vitest';
import { catchError } from '../test/catch-error.js';
import { type InstancePorts, toolPortEnv, toolPorts } from './ports.js';
import { parsePortEnv } from './range.js';
import type { ClaudeConfig } from './schema.js';
import { KNOWN_TOOLS, type ToolSpec } from './tools.js';

const config: ClaudeConfig = {
  mcpServers: {
    files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me'] },
    'sequential-thinking': {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-sequential-thinking'],
    },
    browser: { command: 'npx', args: ['@playwright/mcp@latest'] },
    'my-db': { command: 'node', args: ['db.js'] },
  },
};

describe('toolPorts', () => {
  it('puts each server at base + offset and returns every offset to persist', () => {
    const plan = toolPorts(config, { name: 'work', base: 9100 });
    expect(plan.instance).toBe('work');
    expect(plan.range).toEqual({ start: 9100, end: 9199 });
    const byServer = Object.fromEntries(plan.ports.map((entry) => [entry.server, entry]));
    expect(byServer.files).toMatchObject({
      tool: 'filesystem',
      offset: 10,
      port: 9110,
      envName: 'FILESYSTEM_PORT',
    });
    expect(byServer['sequential-thinking']).toMatchObject({ offset: 20, port: 9120 });
    expect(byServer.browser).toMatchObject({ tool: 'playwright-mcp-server', port: 9160, portArgs: [] });
    const db = byServer['my-db']!;
    expect(db.tool).toBeUndefined();
    expect(db.envName).toBe('MY_DB_PORT');
    expect(KNOWN_TOOLS.map((tool) => tool.offset)).not.toContain(db.offset);
    expect(plan.offsets).toEqual({ files: 10, 'sequential-thinking': 20, browser: 60, 'my-db': db.offset });
    expect(plan.ports.map((entry) => entry.server)).toEqual([
      'browser',
      'files',
      'my-db',
      'sequential-thinking',
    ]);
  });

  it('keeps offsets within 10..99 for a wider range, and honours recorded offsets', () => {
    const plan = toolPorts(config, { name: 'w', base: 20000, size: 500, offsets: { 'my-db': 77 } });
    expect(plan.range).toEqual({ start: 20000, end: 20499 });
    expect(plan.offsets['my-db']).toBe(77);
    for (const entry of plan.ports) expect(entry.port).toBeLessThan(20100);
  });

  it('refuses a config of the wrong shape from an unchecked caller', () => {
    const bad = { mcpServers: { fs: { command: 'x', args: 'not-a-list' } } } as unknown as ClaudeConfig;
    expect(catchError(() => toolPortEnv(bad, { name: 'w', base: 9000 })).path).toBe('mcpServers.fs.args');
  });

  it('gives a config without servers no ports', () => {
    expect(toolPorts({}, { name: 'w', base: 9000 }).ports).toEqual([]);
  });

  it.each([
    [{ name: 'Work', base: 9000 }, 'EINVALIDNAME'],
    [{ name: 'w', base: 65500 }, 'ERANGEOVERFLOW'],
    [{ name: 'w', base: 0 }, 'EINVALIDOPTION'],
    [{ name: 'w', base: 9000, size: 50 }, 'EINVALIDOPTION'],
    [{ name: 'w', base: 9000, offsets: { 'my-db': 5 } }, 'EINVALIDOPTION'],
    // Neither base nor slot: never a silent default range.
    [{ name: 'w' }, 'EINVALIDOPTION'],
    [{ name: 'w', base: null }, 'EINVALIDOPTION'],
    [{ name: 'w', base: null, slot: null }, 'EINVALIDOPTION'],
    [{ name: 'w', slot: 0 }, 'EINVALIDOPTION'],
    [{ name: 'w', slot: 2, base: 9000 }, 'EINVALIDOPTION'],
  ])('rejects the instance %j with %s', (instance, code) => {
    // Some of these are what plain JavaScript or parsed JSON may pass, not what the types allow.
    expect(catchError(() => toolPorts(config, instance as InstancePorts)).code).toBe(code);
  });

  it('takes a slot instead of a base: slot n of the default grid', () => {
    expect(toolPorts(config, { name: 'w', slot: 2 })).toEqual(toolPorts(config, { name: 'w', base: 9100 }));
    expect(toolPorts(config, { name: 'w', slot: 2, size: 200 }).range).toEqual({ start: 9200, end: 9399 });
    expect(toolPorts(config, { name: 'w', slot: 3, base: 9200 }).range.start).toBe(9200);
    expect(catchError(() => toolPorts(config, { name: 'w' })).message).toMatch(/needs base .* or slot/);
  });

  it('computes port arguments from a table entry that takes one', () => {
    const tools: ToolSpec[] = [
      ...KNOWN_TOOLS,
      {
        name: 'portful',
        offset: 70,
        packages: ['portful-mcp'],
        portArgs: (port) => ['--listen', `127.0.0.1:${port}`],
      },
    ];
    const plan = toolPorts(
      { mcpServers: { p: { command: 'portful-mcp', args: ['portful-mcp'] } } },
      { name: 'w', base: 9000 },
      { tools },
    );
    expect(plan.ports[0]).toMatchObject({
      tool: 'portful',
      port: 9070,
      portArgs: ['--listen', '127.0.0.1:9070'],
    });
  });
});

describe('toolPortEnv', () => {
  it('gives the instance variables and one <TOOL>_PORT per server', () => {
    const offsets = toolPorts(config, { name: 'work', base: 9000 }).offsets;
    expect(toolPortEnv(config, { name: 'work', base: 9000 })).toEqual({
      CLAUDE_INSTANCE: 'work',
      MCP_BASE_PORT: '9000',
      MCP_PORT_RANGE: '100',
      FILESYSTEM_PORT: '9010',
      SEQUENTIAL_THINKING_PORT: '9020',
      PLAYWRIGHT_MCP_SERVER_PORT: '9060',
      MY_DB_PORT: String(9000 + offsets['my-db']!),
    });
  });

  it('gives MCP_PORT_RANGE as the size, the form cmgr reads back, and MCP_BASE_PORT as the first port', () => {
    const env = toolPortEnv(config, { name: 'big', base: 20000, size: 300 });
    expect(env).toMatchObject({ MCP_BASE_PORT: '20000', MCP_PORT_RANGE: '300' });
    expect(parsePortEnv(env)).toEqual({ base: 20000, size: 300 });
  });

  it('names a second copy of a known tool by its own key', () => {
    const fs = ['@modelcontextprotocol/server-filesystem'];
    const env = toolPortEnv(
      {
        mcpServers: { filesystem: { command: 'npx', args: fs }, 'work-files': { command: 'npx', args: fs } },
      },
      { name: 'w', base: 9000 },
    );
    expect(env.FILESYSTEM_PORT).toBe('9010');
    expect(env.WORK_FILES_PORT).toMatch(/^90\d\d$/);
    expect(env.WORK_FILES_PORT).not.toBe('9010');
  });

  it('refuses two servers that map to one variable, naming both', () => {
    const error = catchError(() =>
      toolPortEnv(
        { mcpServers: { 'my-db': { command: 'a' }, my_db: { command: 'b' } } },
        { name: 'w', base: 9000 },
      ),
    );
    expect(error.code).toBe('EENVCOLLISION');
    expect(error.message).toContain('MY_DB_PORT');
    expect(error.message).toContain('"my-db"');
    expect(error.message).toContain('"my_db"');
  });

  it('refuses a server whose variable would overwrite one cmgr sets itself', () => {
    const error = catchError(() =>
      toolPortEnv({ mcpServers: { 'mcp-base': { command: 'a' } } }, { name: 'w', base: 9000 }),
    );
    expect(error.code).toBe('EENVCOLLISION');
    expect(error.message).toContain('MCP_BASE_PORT');
  });
});
