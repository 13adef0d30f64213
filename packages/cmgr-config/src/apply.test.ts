import { describe, expect, it } from 'vitest';
import { catchError } from '../test/catch-error.js';
import { applyPorts } from './apply.js';
import { toolPorts } from './ports.js';
import { type PortsRecord, portsRecord } from './record.js';
import { resetPorts } from './reset.js';
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

/** What applyPorts(userConfig(), work) must return, as plain data. */
function appliedUserConfig(): ClaudeConfig {
  return {
    globalShortcut: 'Ctrl+Space',
    mcpServers: {
      filesystem: {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me'],
        env: {
          DEBUG: '1',
          MCP_PORT: '9110',
          MCP_BASE_PORT: '9100',
          MCP_PORT_RANGE: '100',
          CLAUDE_INSTANCE: 'work',
        },
        disabled: false,
      },
      memory: {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
        env: { MCP_PORT: '9130', MCP_BASE_PORT: '9100', MCP_PORT_RANGE: '100', CLAUDE_INSTANCE: 'work' },
      },
    },
    preferences: { theme: 'dark', nested: { list: [1, 'two', null] } },
  };
}

const roundTrip = (config: ClaudeConfig): ClaudeConfig => JSON.parse(JSON.stringify(config));

describe('applyPorts', () => {
  it('returns the config with the four variables merged into each server, and nothing else changed', () => {
    const applied = applyPorts(userConfig(), work);
    // toStrictEqual and JSON both: no marker key, no extra visible property anywhere.
    expect(applied).toStrictEqual(appliedUserConfig());
    expect(JSON.stringify(applied)).toBe(JSON.stringify(appliedUserConfig()));
    expect(Object.keys(applied)).toEqual(Object.keys(userConfig()));
    expect(Reflect.ownKeys(applied).filter((key) => typeof key === 'string')).toEqual(
      Object.keys(userConfig()),
    );
  });

  it('leaves the plan to toolPorts: offsets, ports and range', () => {
    const plan = toolPorts(userConfig(), work);
    expect(plan.range).toEqual({ start: 9100, end: 9199 });
    expect(plan.offsets).toEqual({ filesystem: 10, memory: 30 });
    const applied = applyPorts(userConfig(), work);
    for (const entry of plan.ports) {
      expect(applied.mcpServers?.[entry.server]?.env?.MCP_PORT).toBe(String(entry.port));
    }
  });

  it('writes MCP_PORT_RANGE as the size cmgr reads it with, and MCP_BASE_PORT as the first port', () => {
    const applied = applyPorts(userConfig(), { name: 'big', base: 20000, size: 250 });
    expect(applied.mcpServers?.memory?.env).toMatchObject({
      MCP_BASE_PORT: '20000',
      MCP_PORT_RANGE: '250',
      MCP_PORT: '20030',
    });
  });

  it('never changes its input and shares no objects with it', () => {
    const input = deepFreeze(userConfig());
    const applied = applyPorts(input, work);
    expect(input).toEqual(userConfig());
    expect(applied.preferences).not.toBe(input.preferences);
    expect(applied.mcpServers?.filesystem?.args).not.toBe(input.mcpServers?.filesystem?.args);
  });

  it('is idempotent, and applying another instance replaces the first', () => {
    const once = applyPorts(userConfig(), work);
    const twice = applyPorts(once, work);
    expect(twice).toStrictEqual(once);
    expect(portsRecord(twice)).toEqual(portsRecord(once));
    const offsets = toolPorts(userConfig(), work).offsets;
    expect(applyPorts(once, { ...work, offsets })).toStrictEqual(once);
    const other = applyPorts(once, { name: 'home', base: 9200 });
    expect(other).toStrictEqual(applyPorts(userConfig(), { name: 'home', base: 9200 }));
    expect(resetPorts(other)).toStrictEqual(userConfig());
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
    const config = applyPorts(input, work, { tools });
    // Two copies of the tool: the one whose key names it holds offset 70 and gets the argument, in a new args.
    expect(config.mcpServers?.portful?.args).toEqual(['--port', '9170']);
    expect(config.mcpServers?.p?.args).toEqual(['portful-mcp@1.0.0', '--verbose']);
    expect(config.mcpServers?.filesystem?.args).toEqual(['@modelcontextprotocol/server-filesystem', '/tmp']);
    expect(JSON.stringify(resetPorts(config))).toBe(JSON.stringify(input));
    expect(JSON.stringify(resetPorts(roundTrip(config), portsRecord(config)))).toBe(JSON.stringify(input));

    const alone: ClaudeConfig = {
      mcpServers: { p: { command: 'npx', args: ['portful-mcp@1.0.0', '--verbose'] } },
    };
    const appended = applyPorts(alone, work, { tools });
    expect(appended.mcpServers?.p?.args).toEqual(['portful-mcp@1.0.0', '--verbose', '--port', '9170']);
    expect(resetPorts(appended)).toStrictEqual(alone);
    // Without a record the spec's argument is still recognised and taken out.
    expect(resetPorts(roundTrip(appended), undefined, { tools })).toStrictEqual(alone);
  });

  it('changes nothing in a config without servers', () => {
    const applied = applyPorts({ other: true }, work);
    expect(applied).toStrictEqual({ other: true });
    expect(resetPorts(applied)).toStrictEqual({ other: true });
  });

  it('refuses an invalid config with ECONFIGINVALID naming the field', () => {
    const bad = { mcpServers: { fs: { command: 'x', args: ['a', 3] } } } as unknown as ClaudeConfig;
    const error = catchError(() => applyPorts(bad, work));
    expect(error.code).toBe('ECONFIGINVALID');
    expect(error.message).toContain('mcpServers.fs.args[1]');
  });
});

describe('resetPorts with a record', () => {
  it('gives back the original config exactly, in memory and after a JSON round trip', () => {
    const original = userConfig();
    const applied = applyPorts(original, work);
    expect(JSON.stringify(resetPorts(applied))).toBe(JSON.stringify(original));
    const record = portsRecord(applied);
    expect(record).toMatchObject({ version: 2, instance: 'work', start: 9100, end: 9199 });
    // The record is plain JSON: it survives being stored, as cmgr does in registry.json.
    const stored = JSON.parse(JSON.stringify(record)) as PortsRecord;
    expect(JSON.stringify(resetPorts(roundTrip(applied), stored))).toBe(JSON.stringify(original));
  });

  it("puts back a user's own value that applyPorts replaced, and keeps an empty env the user had", () => {
    const original: ClaudeConfig = {
      mcpServers: {
        a: { command: 'x', env: { MCP_PORT: '1234', CLAUDE_INSTANCE: 'mine', OTHER: 'o' } },
        b: { command: 'y', env: {} },
        c: { command: 'z', env: { MCP_PORT: '9110' } },
      },
    };
    const applied = applyPorts(original, work);
    expect(applied.mcpServers?.a?.env?.MCP_PORT).not.toBe('1234');
    expect(JSON.stringify(resetPorts(applied))).toBe(JSON.stringify(original));
    const fromDisk = resetPorts(roundTrip(applied), portsRecord(applied));
    expect(JSON.stringify(fromDisk)).toBe(JSON.stringify(original));
  });

  it('keeps what changed after applyPorts: edited values, new servers, new variables', () => {
    const applied = applyPorts(userConfig(), work);
    const edited = structuredClone(applied);
    edited.mcpServers!.filesystem!.env!.MCP_PORT = '4444';
    edited.mcpServers!.memory!.env!.EXTRA = 'kept';
    edited.mcpServers!.added = { command: 'new', env: { MCP_BASE_PORT: '9100' } };
    const reset = resetPorts(edited, portsRecord(applied));
    expect(reset.mcpServers?.filesystem?.env).toEqual({ DEBUG: '1', MCP_PORT: '4444' });
    expect(reset.mcpServers?.memory?.env).toEqual({ EXTRA: 'kept' });
    expect(reset.mcpServers?.added).toEqual({ command: 'new', env: { MCP_BASE_PORT: '9100' } });
  });

  it('copes with a server removed after applyPorts', () => {
    const applied = applyPorts(userConfig(), work);
    const edited = structuredClone(applied);
    delete edited.mcpServers!.memory;
    const expected = userConfig();
    delete expected.mcpServers!.memory;
    expect(resetPorts(edited, portsRecord(applied))).toStrictEqual(expected);
  });

  it('returns an equal copy of a config without ports applied', () => {
    const input = deepFreeze(userConfig());
    const reset = resetPorts(input);
    expect(reset).toStrictEqual(input);
    expect(reset).not.toBe(input);
  });

  it('refuses a record that is not one portsRecord returned, naming the field', () => {
    const record = structuredClone(portsRecord(applyPorts(userConfig(), work))!);
    (record.servers as Record<string, unknown>).memory = { port: 'x' };
    const error = catchError(() => resetPorts(userConfig(), record));
    expect(error.code).toBe('EINVALIDRECORD');
    expect(error.message).toContain('record.servers.memory.port');
  });
});

describe('resetPorts without a record', () => {
  it('removes the four variables where they are consistent with cmgr ports, dropping an env left empty', () => {
    const fromDisk = roundTrip(applyPorts(userConfig(), work));
    expect(portsRecord(fromDisk)).toBeUndefined();
    expect(resetPorts(fromDisk)).toStrictEqual(userConfig());
  });

  it('also recognises the "start-end" MCP_PORT_RANGE older versions wrote', () => {
    const env = {
      MCP_PORT: '9110',
      MCP_BASE_PORT: '9100',
      MCP_PORT_RANGE: '9100-9199',
      CLAUDE_INSTANCE: 'w',
    };
    expect(resetPorts({ mcpServers: { s: { command: 'x', env } } })).toStrictEqual({
      mcpServers: { s: { command: 'x' } },
    });
  });

  it.each([
    ['no CLAUDE_INSTANCE', { MCP_PORT: '9110', MCP_BASE_PORT: '9100', MCP_PORT_RANGE: '100' }],
    [
      'a name cmgr never gives',
      { MCP_PORT: '9110', MCP_BASE_PORT: '9100', MCP_PORT_RANGE: '100', CLAUDE_INSTANCE: 'My Work' },
    ],
    [
      'MCP_PORT outside +10..+99',
      { MCP_PORT: '9105', MCP_BASE_PORT: '9100', MCP_PORT_RANGE: '100', CLAUDE_INSTANCE: 'w' },
    ],
    [
      'a size under 100',
      { MCP_PORT: '9110', MCP_BASE_PORT: '9100', MCP_PORT_RANGE: '50', CLAUDE_INSTANCE: 'w' },
    ],
    [
      'a range past 65535',
      { MCP_PORT: '65450', MCP_BASE_PORT: '65440', MCP_PORT_RANGE: '100', CLAUDE_INSTANCE: 'w' },
    ],
    [
      'a range not starting at the base',
      { MCP_PORT: '9110', MCP_BASE_PORT: '9100', MCP_PORT_RANGE: '9000-9199', CLAUDE_INSTANCE: 'w' },
    ],
  ])('leaves the variables of a server alone with %s', (_why, env) => {
    const config: ClaudeConfig = { mcpServers: { s: { command: 'x', env: { ...env } } } };
    expect(resetPorts(config)).toStrictEqual(config);
  });

  it('keeps an empty env the user had when there is nothing to remove', () => {
    const config: ClaudeConfig = { mcpServers: { s: { command: 'x', env: {} } } };
    expect(resetPorts(config)).toStrictEqual(config);
  });
});

describe('configs written by older versions (a cmgrPorts key in the file)', () => {
  function legacyApplied(): ClaudeConfig {
    const applied = appliedUserConfig();
    for (const server of Object.values(applied.mcpServers!)) server.env!.MCP_PORT_RANGE = '9100-9199';
    applied.mcpServers!.filesystem!.env!.CLAUDE_INSTANCE = 'work';
    return {
      ...applied,
      cmgrPorts: {
        version: 1,
        instance: 'work',
        start: 9100,
        end: 9199,
        servers: { filesystem: { port: 9110 }, memory: { port: 9130, envCreated: true } },
      },
    };
  }

  it('treats the key as the record and removes it on reset', () => {
    expect(portsRecord(legacyApplied())).toMatchObject({ version: 1, instance: 'work' });
    expect(JSON.stringify(resetPorts(legacyApplied()))).toBe(JSON.stringify(userConfig()));
  });

  it('removes it on the next apply, which writes the new format', () => {
    const applied = applyPorts(legacyApplied(), work);
    expect(applied).toStrictEqual(appliedUserConfig());
    expect(portsRecord(applied)?.version).toBe(2);
  });

  it('refuses a damaged key rather than guess, naming the path', () => {
    const damaged = legacyApplied();
    (damaged.cmgrPorts as { servers: Record<string, unknown> }).servers.memory = { port: 'x' };
    const error = catchError(() => resetPorts(damaged));
    expect(error.code).toBe('ECONFIGINVALID');
    expect(error.path).toBe('cmgrPorts.servers.memory.port');
  });
});
