import { describe, expect, it } from 'vitest';
import { catchError } from '../test/catch-error.js';
import { applyPorts } from './apply.js';
import { importServers } from './import.js';
import { portsRecord } from './record.js';
import { resetPorts } from './reset.js';
import type { ClaudeConfig } from './schema.js';

function target(): ClaudeConfig {
  return {
    globalShortcut: 'Ctrl+Space',
    mcpServers: {
      filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/old'] },
      mine: { command: 'mine-mcp', env: { KEEP: '1' } },
    },
    preferences: { theme: 'dark' },
  };
}

function source(): ClaudeConfig {
  return {
    other: 'not imported',
    mcpServers: {
      memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
      filesystem: {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/projects'],
        env: { DEBUG: '1' },
      },
    },
  };
}

/** Every port-like value anywhere in a config. */
function numbersIn(config: unknown): number[] {
  return JSON.stringify(config)
    .match(/\d{4,5}/g)!
    .map(Number);
}

describe('importServers', () => {
  it('replaces servers of the same name in place, appends new ones, keeps the rest and every other key', () => {
    const before = target();
    const from = source();
    const result = importServers(before, from);
    expect(result.config).toEqual({
      globalShortcut: 'Ctrl+Space',
      mcpServers: {
        filesystem: {
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/projects'],
          env: { DEBUG: '1' },
        },
        mine: { command: 'mine-mcp', env: { KEEP: '1' } },
        memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
      },
      preferences: { theme: 'dark' },
    });
    expect(Object.keys(result.config.mcpServers!)).toEqual(['filesystem', 'mine', 'memory']);
    expect(result).toMatchObject({ added: ['memory'], replaced: ['filesystem'], kept: ['mine'] });
    // Inputs unchanged, and the result shares no object with the source.
    expect(before).toEqual(target());
    expect(from).toEqual(source());
    result.config.mcpServers!.memory!.args!.push('x');
    expect(from.mcpServers!.memory!.args).toHaveLength(2);
  });

  it("takes the source instance's ports out, with its record or without one", () => {
    const applied = applyPorts(source(), { name: 'personal', base: 9500 });
    const record = portsRecord(applied)!;
    const fromDisk = JSON.parse(JSON.stringify(applied)) as ClaudeConfig;
    expect(numbersIn(fromDisk).some((n) => n >= 9500 && n <= 9599)).toBe(true);
    for (const options of [{ sourceRecord: record }, {}]) {
      const { config } = importServers(target(), fromDisk, options);
      expect(config.mcpServers!.memory).toEqual(source().mcpServers!.memory);
      expect(config.mcpServers!.filesystem).toEqual(source().mcpServers!.filesystem);
      expect(JSON.stringify(config)).not.toMatch(/personal|MCP_PORT|MCP_BASE_PORT|CLAUDE_INSTANCE/);
    }
  });

  it("gives imported servers the target's ports once the target's ports are applied", () => {
    const sourceApplied = JSON.parse(JSON.stringify(applyPorts(source(), { name: 'b', base: 9500 })));
    const work = { name: 'work', base: 9100 };
    const targetApplied = applyPorts(target(), work);
    const clean = resetPorts(targetApplied);
    const { config } = importServers(clean, sourceApplied);
    const final = applyPorts(config, work);
    const ports = Object.values(final.mcpServers!).map((server) => Number(server.env!.MCP_PORT));
    expect(ports.every((port) => port >= 9110 && port <= 9199)).toBe(true);
    expect(numbersIn(final).some((n) => n >= 9500 && n <= 9599)).toBe(false);
  });

  it('works on a target without mcpServers, and leaves it without one when nothing is imported', () => {
    expect(importServers({ a: 1 }, { mcpServers: {} }).config).toEqual({ a: 1 });
    expect(importServers({ a: 1 }, {}).config).toEqual({ a: 1 });
    expect(importServers({ a: 1 }, source()).config).toEqual({ a: 1, mcpServers: source().mcpServers });
  });

  it('refuses a source or target of the wrong shape, naming the field', () => {
    const badSource = { mcpServers: { fs: { command: 'x', args: ['ok', 3] } } } as unknown as ClaudeConfig;
    const error = catchError(() => importServers(target(), badSource));
    expect(error.code).toBe('ECONFIGINVALID');
    expect(error.message).toMatch(/^mcpServers\.fs\.args\[1\]: expected string, got 3/);
    const badTarget = { mcpServers: { fs: { args: [] } } } as unknown as ClaudeConfig;
    expect(catchError(() => importServers(badTarget, source())).path).toBe('mcpServers.fs.command');
  });
});
