import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type FixtureProcess, freePortRange, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { connectExtension, testRegistry } from './fake-extension.js';

// End-to-end against the BUILT app, with a registry file of its own per test.
const bin = fileURLToPath(new URL('../bin/browser-mcp.js', import.meta.url));

interface Server {
  readonly child: FixtureProcess;
  readonly port: number;
  readonly instanceId: string;
}

async function startServer(
  registry: string,
  range: { start: number; end: number },
  instanceId: string,
): Promise<Server> {
  const child = spawnFixture(bin, ['--registry', registry, '--ports', `${range.start}-${range.end}`], {
    env: { MCP_INSTANCE_ID: instanceId },
  });
  const line = await child.waitForStderrLine(/listening on 127\.0\.0\.1:\d+ as /, { timeoutMs: 30_000 });
  return { child, port: Number(/:(\d+) as /.exec(line)?.[1]), instanceId };
}

async function registeredIds(registry: string): Promise<string[]> {
  const data = JSON.parse(await readFile(registry, 'utf8')) as { instances: { instanceId: string }[] };
  return data.instances.map((entry) => entry.instanceId).sort();
}

async function instancesJson(registry: string, range: { start: number; end: number }) {
  await using list = spawnFixture(bin, [
    'instances',
    '--json',
    '--registry',
    registry,
    '--ports',
    `${range.start}-${range.end}`,
  ]);
  expect((await list.exited()).code).toBe(0);
  return JSON.parse(list.stdout.text) as { port: number; instanceId: string; pid: number }[];
}

describe('many servers on one registry', () => {
  it('eleven at once get eleven ports; the twelfth fails fast naming the holders; a killed one’s port is reused', async () => {
    const registry = testRegistry();
    const range = await freePortRange(11);
    const servers: Server[] = [];
    try {
      servers.push(
        ...(await Promise.all(
          Array.from({ length: 11 }, (_, i) => startServer(registry, range, `many-${i}`)),
        )),
      );
      const ports = servers.map((server) => server.port);
      expect(new Set(ports).size).toBe(11);
      for (const port of ports) expect(port >= range.start && port <= range.end).toBe(true);

      const listed = await instancesJson(registry, range);
      expect(listed.map((entry) => entry.port).sort()).toEqual([...ports].sort());

      await using twelfth = spawnFixture(bin, [
        '--registry',
        registry,
        '--ports',
        `${range.start}-${range.end}`,
      ]);
      expect((await twelfth.exited({ timeoutMs: 20_000 })).code).toBe(1);
      expect(twelfth.stderr.text).toContain(`no free port in ${range.start}-${range.end}`);
      expect(twelfth.stderr.text).toMatch(/instance many-\d+ \(pid \d+\)/);
      expect(twelfth.stdout.text).toBe('');

      const victim = servers[4] as Server;
      victim.child.kill('SIGKILL');
      await victim.child.exited();
      const replacement = await startServer(registry, range, 'replacement');
      servers.push(replacement);
      expect(replacement.port).toBe(victim.port);
      expect(await registeredIds(registry)).not.toContain(victim.instanceId);
    } finally {
      await Promise.all(servers.map((server) => server.child[Symbol.asyncDispose]()));
    }
  }, 120_000);

  it.each(['stdin close', 'SIGTERM', 'SIGINT'] as const)('removes its entry on %s', async (how) => {
    const registry = testRegistry();
    const range = await freePortRange(2);
    const server = await startServer(registry, range, `bye-${how.replace(' ', '-')}`);
    await using _child = server.child;
    expect(await registeredIds(registry)).toEqual([server.instanceId]);
    if (how === 'stdin close') server.child.child.stdin?.end();
    else server.child.kill(how);
    expect((await server.child.exited()).code).toBe(0);
    expect(await registeredIds(registry)).toEqual([]);
  });

  it('answers portListRequest with every live instance, from the registry', async () => {
    const registry = testRegistry();
    const range = await freePortRange(3);
    const a = await startServer(registry, range, 'list-a');
    await using _a = a.child;
    const b = await startServer(registry, range, 'list-b');
    await using _b = b.child;
    await using extension = await connectExtension(a.port, 'chrome-extension://abc');
    await extension.hello();
    extension.send({ type: 'portListRequest' });
    const response = await extension.next<{ type: string; ports: number[] }>();
    expect(response).toEqual({ type: 'portListResponse', ports: [a.port, b.port].sort((x, y) => x - y) });
  });
});
