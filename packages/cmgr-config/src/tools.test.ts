import { describe, expect, it } from 'vitest';
import { catchError } from '../test/catch-error.js';
import { checkTools, KNOWN_TOOLS, recogniseTool, type ToolSpec, toolEnvName } from './tools.js';

describe('KNOWN_TOOLS', () => {
  it('holds the documented offsets', () => {
    expect(Object.fromEntries(KNOWN_TOOLS.map((tool) => [tool.name, tool.offset]))).toEqual({
      filesystem: 10,
      'sequential-thinking': 20,
      memory: 30,
      'desktop-commander': 40,
      repl: 50,
      'playwright-mcp-server': 60,
    });
  });

  it('gives none of the six a port argument (it would leave stdio mode or be read as a directory)', () => {
    expect(KNOWN_TOOLS.filter((tool) => tool.portArgs !== undefined)).toEqual([]);
  });

  it('is a valid table', () => {
    expect(checkTools(KNOWN_TOOLS)).toBe(KNOWN_TOOLS);
  });
});

describe('recogniseTool', () => {
  const named = (server: string, args?: string[]) => recogniseTool(server, { args })?.name;

  it.each([
    ['@modelcontextprotocol/server-filesystem', 'filesystem'],
    ['@modelcontextprotocol/server-filesystem@2025.8.21', 'filesystem'],
    ['@modelcontextprotocol/server-memory', 'memory'],
    ['@modelcontextprotocol/server-sequential-thinking@latest', 'sequential-thinking'],
    ['@wonderwhy-er/desktop-commander@0.2.3', 'desktop-commander'],
    ['@executeautomation/playwright-mcp-server', 'playwright-mcp-server'],
    ['@playwright/mcp@latest', 'playwright-mcp-server'],
    ['/usr/lib/node_modules/@modelcontextprotocol/server-memory/dist/index.js', 'memory'],
  ])('recognises the package %s in args as %s', (pkg, tool) => {
    expect(named('anything', ['-y', pkg, '/home/me'])).toBe(tool);
  });

  it('does not mistake a longer package name or a lookalike for a known one', () => {
    expect(named('x', ['@modelcontextprotocol/server-filesystem-plus'])).toBeUndefined();
    expect(named('x', ['@evil/server-filesystem'])).toBeUndefined();
    expect(named('x', ['--dir=@modelcontextprotocol/server-filesystem'])).toBeUndefined();
  });

  it('recognises a server by its key, ignoring case and _ versus -', () => {
    expect(named('filesystem')).toBe('filesystem');
    expect(named('Sequential_Thinking', ['server.js'])).toBe('sequential-thinking');
    expect(named('repl', ['repl-server'])).toBe('repl');
    expect(named('postgres', ['@modelcontextprotocol/server-postgres'])).toBeUndefined();
    expect(named('files')).toBeUndefined();
  });

  it('trusts the package in args over the key, since that is what runs', () => {
    expect(named('memory', ['@modelcontextprotocol/server-filesystem'])).toBe('filesystem');
  });

  it('looks in the table it is given', () => {
    const table: ToolSpec[] = [
      { name: 'postgres', offset: 70, packages: ['@modelcontextprotocol/server-postgres'] },
    ];
    expect(recogniseTool('db', { args: ['@modelcontextprotocol/server-postgres'] }, table)?.name).toBe(
      'postgres',
    );
    expect(recogniseTool('filesystem', {}, table)).toBeUndefined();
  });
});

describe('toolEnvName', () => {
  it.each([
    ['filesystem', 'FILESYSTEM_PORT'],
    ['sequential-thinking', 'SEQUENTIAL_THINKING_PORT'],
    ['playwright-mcp-server', 'PLAYWRIGHT_MCP_SERVER_PORT'],
    ['my.db--main', 'MY_DB_MAIN_PORT'],
    ['  spaced name ', 'SPACED_NAME_PORT'],
    ['2fa', '_2FA_PORT'],
  ])('%j -> %s', (name, env) => {
    expect(toolEnvName(name)).toBe(env);
    expect(env).toMatch(/^[A-Z_][A-Z0-9_]*$/);
  });
});

describe('checkTools', () => {
  it.each([
    [[{ name: 'a', offset: 9, packages: [] }], 'offset 9'],
    [[{ name: 'a', offset: 100, packages: [] }], 'offset 100'],
    [[{ name: 'a', offset: 10.5, packages: [] }], 'offset 10.5'],
    [
      [
        { name: 'a', offset: 70, packages: [] },
        { name: 'b', offset: 70, packages: [] },
      ],
      'b has offset 70',
    ],
    [
      [
        { name: 'a', offset: 70, packages: [] },
        { name: 'A', offset: 71, packages: [] },
      ],
      '"A"',
    ],
    [[{ name: '', offset: 70, packages: [] }], '""'],
  ])('rejects a bad table %j naming the row', (table, text) => {
    const error = catchError(() => checkTools(table));
    expect(error.code).toBe('EINVALIDOPTION');
    expect(error.message).toContain(text);
  });
});
