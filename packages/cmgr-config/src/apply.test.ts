import { describe, expect, it } from 'vitest';
import { catchError } from '../test/catch-error.js';
import { appliedPorts, applyPorts, resetPorts } from './apply.js';
import type { ClaudeConfig } from './schema.js';
import { KNOWN_TOOLS, type ToolSpec } from './tools.js';

const work = { name: 'work', base: 9100 } as const;

function userConfig(): ClaudeConfig {
  return {
    globalShortcut: 'Ctrl+Space',
    mcpServers: {
      filesystem: {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me'],
        env: { DEBUG: '1' },
        disabled: false,
      },
      memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
    },
    preferences: { theme: 'dark', nested: { list: [1, 'two', null] } },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('applyPorts', () => {
  it('merges the four variables into each server and changes nothing else', () => {
    const { config, offsets, range } = applyPorts(userConfig(), work);
    expect(range).toEqual({ start: 9100, end: 9199 });
    expect(offsets).toEqual({ filesystem: 10, memory: 30 });
    expect(config).toEqual({
      globalShortcut: 'Ctrl+Space',
      mcpServers: {
        filesystem: {
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me'],
          env: {
            DEBUG: '1',
            MCP_PORT: '9110',
            MCP_BASE_PORT: '9100',
            MCP_PORT_RANGE: '9100-9199',
            CLAUDE_INSTANCE: 'work',
          },
          disabled: false,
        },
        memory: {
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-memory'],
          env: {
            MCP_PORT: '9130',
            MCP_BASE_PORT: '9100',
            MCP_PORT_RANGE: '9100-9199',
            CLAUDE_INSTANCE: 'work',
          },
        },
      },
      preferences: { theme: 'dark', nested: { list: [1, 'two', null] } },
      cmgrPorts: {
        version: 1,
        instance: 'work',
        start: 9100,
        end: 9199,
        servers: { filesystem: { port: 9110 }, memory: { port: 9130, envCreated: true } },
      },
    });
    // No port argument for the six known tools: args are untouched.
    expect(config.mcpServers?.filesystem?.args).toEqual(userConfig().mcpServers?.filesystem?.args);
  });

  it('never changes its input and shares no objects with it', () => {
    const input = deepFreeze(userConfig());
    const { config } = applyPorts(input, work);
    expect(input).toEqual(userConfig());
    expect(config.preferences).not.toBe(input.preferences);
    expect(config.mcpServers?.filesystem?.args).not.toBe(input.mcpServers?.filesystem?.args);
  });

  it('is idempotent, and applying another instance replaces the first', () => {
    const once = applyPorts(userConfig(), work);
    expect(applyPorts(once.config, work)).toEqual(once);
    expect(applyPorts(once.config, { ...work, offsets: once.offsets })).toEqual(once);
    const other = applyPorts(once.config, { name: 'home', base: 9200 });
    expect(other).toEqual(applyPorts(userConfig(), { name: 'home', base: 9200 }));
  });

  it('appends port arguments only for a table entry that takes one, creating args when absent', () => {
    const tools: ToolSpec[] = [
      ...KNOWN_TOOLS,
      {
        name: 'portful',
        offset: 70,
        packages: ['portful-mcp'],
        portArgs: (port) => ['--port', String(port)],
      },
    ];
    const input: ClaudeConfig = {
      mcpServers: {
        p: { command: 'npx', args: ['portful-mcp@1.0.0', '--verbose'] },
        portful: { command: 'portful' },
        filesystem: { command: 'npx', args: ['@modelcontextprotocol/server-filesystem', '/tmp'] },
      },
    };
    const { config } = applyPorts(input, work, { tools });
    // Two copies of the tool: the one whose key names it holds offset 70 and gets the argument, in a new args.
    expect(config.mcpServers?.portful?.args).toEqual(['--port', '9170']);
    expect(config.mcpServers?.p?.args).toEqual(['portful-mcp@1.0.0', '--verbose']);
    expect(config.mcpServers?.filesystem?.args).toEqual(['@modelcontextprotocol/server-filesystem', '/tmp']);
    expect(JSON.stringify(resetPorts(config))).toBe(JSON.stringify(input));

    const alone: ClaudeConfig = {
      mcpServers: { p: { command: 'npx', args: ['portful-mcp@1.0.0', '--verbose'] } },
    };
    const appended = applyPorts(alone, work, { tools }).config;
    expect(appended.mcpServers?.p?.args).toEqual(['portful-mcp@1.0.0', '--verbose', '--port', '9170']);
    expect(resetPorts(appended)).toEqual(alone);
  });

  it('adds only the marker to a config without servers', () => {
    const { config } = applyPorts({ other: true }, work);
    expect(Object.keys(config)).toEqual(['other', 'cmgrPorts']);
    expect(resetPorts(config)).toEqual({ other: true });
  });

  it('refuses an invalid config with ECONFIGINVALID naming the field', () => {
    const bad = { mcpServers: { fs: { command: 'x', args: ['a', 3] } } } as unknown as ClaudeConfig;
    const error = catchError(() => applyPorts(bad, work));
    expect(error.code).toBe('ECONFIGINVALID');
    expect(error.message).toContain('mcpServers.fs.args[1]');
  });
});

describe('resetPorts', () => {
  it('gives back the original config exactly, key order included', () => {
    const original = userConfig();
    const reset = resetPorts(applyPorts(original, work).config);
    expect(JSON.stringify(reset)).toBe(JSON.stringify(original));
  });

  it("puts back a user's own value that applyPorts replaced, and keeps an empty env the user had", () => {
    const original: ClaudeConfig = {
      mcpServers: {
        a: { command: 'x', env: { MCP_PORT: '1234', CLAUDE_INSTANCE: 'mine', OTHER: 'o' } },
        b: { command: 'y', env: {} },
        c: { command: 'z', env: { MCP_PORT: '9110' } },
      },
    };
    const { config } = applyPorts(original, work);
    expect(config.mcpServers?.a?.env?.MCP_PORT).not.toBe('1234');
    expect(JSON.stringify(resetPorts(config))).toBe(JSON.stringify(original));
  });

  it('keeps what changed after applyPorts: edited values, new servers, new variables', () => {
    const { config } = applyPorts(userConfig(), work);
    const edited = structuredClone(config);
    edited.mcpServers!.filesystem!.env!.MCP_PORT = '4444';
    edited.mcpServers!.memory!.env!.EXTRA = 'kept';
    edited.mcpServers!.added = { command: 'new', env: { MCP_BASE_PORT: '9100' } };
    delete edited.mcpServers!.nothere;
    const reset = resetPorts(edited);
    expect(reset.mcpServers?.filesystem?.env).toEqual({ DEBUG: '1', MCP_PORT: '4444' });
    expect(reset.mcpServers?.memory?.env).toEqual({ EXTRA: 'kept' });
    expect(reset.mcpServers?.added).toEqual({ command: 'new', env: { MCP_BASE_PORT: '9100' } });
    expect(reset.cmgrPorts).toBeUndefined();
  });

  it('copes with a server removed after applyPorts', () => {
    const { config } = applyPorts(userConfig(), work);
    const edited = structuredClone(config);
    delete edited.mcpServers!.memory;
    const expected = userConfig();
    delete expected.mcpServers!.memory;
    expect(resetPorts(edited)).toEqual(expected);
  });

  it('returns an equal copy of a config without ports applied', () => {
    const input = deepFreeze(userConfig());
    const reset = resetPorts(input);
    expect(reset).toEqual(input);
    expect(reset).not.toBe(input);
  });

  it('refuses a damaged marker rather than guess, naming the path', () => {
    const { config } = applyPorts(userConfig(), work);
    const damaged = structuredClone(config);
    (damaged.cmgrPorts as { servers: Record<string, unknown> }).servers.memory = { port: 'x' };
    const error = catchError(() => resetPorts(damaged));
    expect(error.code).toBe('ECONFIGINVALID');
    expect(error.path).toBe('cmgrPorts.servers.memory.port');
  });
});

describe('appliedPorts', () => {
  it('tells which instance and range a config carries, or undefined', () => {
    expect(appliedPorts(userConfig())).toBeUndefined();
    expect(appliedPorts(applyPorts(userConfig(), work).config)).toEqual({
      instance: 'work',
      range: { start: 9100, end: 9199 },
    });
  });
});
