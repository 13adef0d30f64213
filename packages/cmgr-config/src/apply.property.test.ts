import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPorts } from './apply.js';
import { type InstancePorts, SERVER_ENV_KEYS, toolPorts } from './ports.js';
import { portsRecord } from './record.js';
import { resetPorts } from './reset.js';
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
// Values cmgr itself writes too, so pre-existing variables that look like cmgr's are exercised.
const envValue = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('9010', '9000', 'work', '9000-9099', '100'),
);

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
  // toEqual ignores the non-enumerable record, as it must; JSON.stringify adds key order to the comparison.
  it('resetPorts(applyPorts(c)) gives back c, key order included, and c is never changed', () => {
    fc.assert(
      fc.property(config, instance, options, (original, target, opts) => {
        const before = JSON.stringify(original);
        const applied = applyPorts(original, target, opts);
        expect(JSON.stringify(original)).toBe(before);
        const reset = resetPorts(applied);
        expect(reset).toEqual(original);
        expect(JSON.stringify(reset)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('after a JSON round trip, resetPorts(config, record) gives back c, with the record stored as JSON too', () => {
    fc.assert(
      fc.property(config, instance, options, (original, target, opts) => {
        const applied = applyPorts(original, target, opts);
        const fromDisk = JSON.parse(JSON.stringify(applied));
        const record = JSON.parse(JSON.stringify(portsRecord(applied)));
        const reset = resetPorts(fromDisk, record, opts);
        // Compared with c as JSON gives it back: JSON itself turns -0 into 0.
        expect(reset).toEqual(JSON.parse(JSON.stringify(original)));
        expect(JSON.stringify(reset)).toBe(JSON.stringify(original));
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: applying twice, or with the offsets toolPorts gives, equals applying once', () => {
    fc.assert(
      fc.property(config, instance, options, (original, target, opts) => {
        const once = applyPorts(original, target, opts);
        const twice = applyPorts(once, target, opts);
        expect(twice).toEqual(once);
        expect(portsRecord(twice)).toEqual(portsRecord(once));
        const offsets = toolPorts(original, target, opts).offsets;
        expect(applyPorts(original, { ...target, offsets }, opts)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('gives every server a distinct port inside the range and touches nothing but env and args', () => {
    fc.assert(
      fc.property(config, instance, options, (original, target, opts) => {
        const applied = applyPorts(original, target, opts);
        const { range } = toolPorts(original, target, opts);
        const { mcpServers: servers, ...rest } = applied;
        const { mcpServers: originalServers, ...originalRest } = original;
        expect(rest).toEqual(originalRest);
        expect(Object.keys(applied)).toEqual(Object.keys(original));
        const ports = new Set<string>();
        for (const [name, entry] of Object.entries(servers ?? {})) {
          const env = entry.env!;
          const port = Number(env.MCP_PORT);
          expect(port).toBeGreaterThanOrEqual(range.start + 10);
          expect(port).toBeLessThanOrEqual(range.start + 99);
          expect(port).toBeLessThanOrEqual(65535);
          ports.add(env.MCP_PORT!);
          expect(env.MCP_BASE_PORT).toBe(String(range.start));
          expect(env.MCP_PORT_RANGE).toBe(String(range.end - range.start + 1));
          expect(env.MCP_PORT_RANGE).toBe(String(target.size));
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

  it('without a record, resetPorts takes out what applyPorts added where the user had none of the four variables', () => {
    fc.assert(
      fc.property(config, instance, options, (generated, target, opts) => {
        // Drop the four variables, and empty envs (which resetPorts cannot tell from created ones).
        const original = structuredClone(generated);
        for (const server of Object.values(original.mcpServers ?? {})) {
          for (const key of SERVER_ENV_KEYS) delete server.env?.[key];
          if (server.env && Object.keys(server.env).length === 0) delete server.env;
          if (server.args?.length === 0) delete server.args;
        }
        const fromDisk = JSON.parse(JSON.stringify(applyPorts(original, target, opts)));
        expect(resetPorts(fromDisk, undefined, opts)).toEqual(JSON.parse(JSON.stringify(original)));
      }),
      { numRuns: 200 },
    );
  });
});
