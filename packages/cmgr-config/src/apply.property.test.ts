import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPorts, resetPorts, SERVER_ENV_KEYS } from './apply.js';
import type { InstancePorts } from './ports.js';
import type { ClaudeConfig, McpServer } from './schema.js';
import { KNOWN_TOOLS, type ToolSpec } from './tools.js';

// The six known tools plus one that takes a port argument, so the args path is exercised too.
const TOOLS: ToolSpec[] = [
  ...KNOWN_TOOLS,
  { name: 'portful', offset: 70, packages: ['portful-mcp'], portArgs: (port) => ['--port', String(port)] },
];
const PACKAGES = TOOLS.flatMap((tool) => tool.packages);

/** Keys this package treats specially, or that zod and JavaScript treat specially. */
const RESERVED = new Set(['mcpServers', 'cmgrPorts', '__proto__']);
const key = fc.string({ maxLength: 8 }).filter((text) => !RESERVED.has(text));

const arg = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom(...PACKAGES, '-y', '--port', '9010'),
  fc.constantFrom(...PACKAGES).map((pkg) => `${pkg}@1.2.3`),
);
const envKey = fc.oneof(key, fc.constantFrom(...SERVER_ENV_KEYS));
const envValue = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('9010', '9000', 'work', '9000-9099'));

/** A server whose fields come in any order, with unknown fields mixed in. */
const server: fc.Arbitrary<McpServer> = fc
  .tuple(
    fc.string({ maxLength: 10 }),
    fc.option(fc.array(arg, { maxLength: 5 }), { nil: undefined }),
    fc.option(fc.dictionary(envKey, envValue, { maxKeys: 6 }), { nil: undefined }),
    fc.array(fc.tuple(key, fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }),
  )
  .chain(([command, args, env, extras]) => {
    const fields = new Map<string, unknown>(extras);
    fields.set('command', command);
    if (args) fields.set('args', args);
    if (env) fields.set('env', env);
    const entries = [...fields];
    return fc
      .shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })
      .map((shuffled) => Object.fromEntries(shuffled) as McpServer);
  });

const serverName = fc.oneof(
  fc.constantFrom(...TOOLS.map((tool) => tool.name), 'Memory', 'sequential_thinking', 'postgres', 'github'),
  key,
);

const config: fc.Arbitrary<ClaudeConfig> = fc
  .tuple(
    fc.array(fc.tuple(key, fc.jsonValue({ maxDepth: 3 })), { maxLength: 4 }),
    fc.option(fc.uniqueArray(fc.tuple(serverName, server), { maxLength: 20, selector: ([name]) => name }), {
      nil: undefined,
    }),
    fc.nat(5),
  )
  .map(([top, servers, position]) => {
    const entries: [string, unknown][] = [...new Map(top)];
    if (servers)
      entries.splice(Math.min(position, entries.length), 0, ['mcpServers', Object.fromEntries(servers)]);
    return Object.fromEntries(entries) as ClaudeConfig;
  });

const instance: fc.Arbitrary<InstancePorts> = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,31}$/), fc.integer({ min: 100, max: 400 }))
  .chain(([name, size]) => fc.integer({ min: 1, max: 65536 - size }).map((base) => ({ name, base, size })));

const options = fc.constantFrom({}, { tools: TOOLS });

describe('applyPorts and resetPorts over generated configs', () => {
  it('resetPorts(applyPorts(c).config) gives back c, key order included, and c is never changed', () => {
    fc.assert(
      fc.property(config, instance, options, (original, target, opts) => {
        const before = JSON.stringify(original);
        const applied = applyPorts(original, target, opts);
        expect(JSON.stringify(original)).toBe(before);
        const reset = resetPorts(applied.config);
        expect(reset).toEqual(original);
        expect(JSON.stringify(reset)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: applying twice, or with the returned offsets, equals applying once', () => {
    fc.assert(
      fc.property(config, instance, options, (original, target, opts) => {
        const once = applyPorts(original, target, opts);
        expect(applyPorts(once.config, target, opts)).toEqual(once);
        expect(applyPorts(original, { ...target, offsets: once.offsets }, opts)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('gives every server a distinct port inside the range and touches nothing but env, args and the marker', () => {
    fc.assert(
      fc.property(config, instance, options, (original, target, opts) => {
        const { config: applied, range } = applyPorts(original, target, opts);
        const { mcpServers: servers, cmgrPorts: _marker, ...rest } = applied;
        const { mcpServers: originalServers, ...originalRest } = original;
        expect(rest).toEqual(originalRest);
        const ports = new Set<string>();
        for (const [name, entry] of Object.entries(servers ?? {})) {
          const env = entry.env!;
          const port = Number(env.MCP_PORT);
          expect(port).toBeGreaterThanOrEqual(range.start + 10);
          expect(port).toBeLessThanOrEqual(range.start + 99);
          expect(port).toBeLessThanOrEqual(65535);
          ports.add(env.MCP_PORT!);
          expect(env.MCP_BASE_PORT).toBe(String(range.start));
          expect(env.MCP_PORT_RANGE).toBe(`${range.start}-${range.end}`);
          expect(env.CLAUDE_INSTANCE).toBe(target.name);
          const { env: _env, args: _args, ...fields } = entry;
          const { env: _oldEnv, args: _oldArgs, ...oldFields } = originalServers![name]!;
          expect(fields).toEqual(oldFields);
        }
        expect(ports.size).toBe(Object.keys(servers ?? {}).length);
      }),
      { numRuns: 200 },
    );
  });
});
