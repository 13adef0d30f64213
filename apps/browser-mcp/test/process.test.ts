import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type FixtureProcess, freePortRange, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { connectExtension, testRegistry } from './fake-extension.js';

// End-to-end against the BUILT app: run `pnpm --filter @ports/browser-mcp build` first.
const bin = fileURLToPath(new URL('../bin/browser-mcp.js', import.meta.url));

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

function write(child: FixtureProcess, message: unknown): void {
  child.child.stdin?.write(`${JSON.stringify(message)}\n`);
}

/** Spawns the server with raw stdio, initializes it by hand, and returns its port. */
async function startRaw(
  instanceId = 'raw',
): Promise<{ child: FixtureProcess; port: number } & AsyncDisposable> {
  const range = await freePortRange(2);
  const child = spawnFixture(bin, ['--ports', `${range.start}-${range.end}`, '--connect-timeout', '300'], {
    env: { MCP_INSTANCE_ID: instanceId, BROWSER_MCP_REGISTRY: testRegistry() },
  });
  try {
    const line = await child.waitForStderrLine(`as ${instanceId}`);
    write(child, initialize);
    await child.waitForStdoutLine(/"id":1/);
    write(child, { jsonrpc: '2.0', method: 'notifications/initialized' });
    const port = Number(/listening on 127\.0\.0\.1:(\d+) as /.exec(line)?.[1]);
    return { child, port, [Symbol.asyncDispose]: () => child[Symbol.asyncDispose]() };
  } catch (error) {
    await child[Symbol.asyncDispose]();
    throw error;
  }
}

/** Every stdout line must be one JSON-RPC 2.0 message: nothing else may share the MCP channel. */
function expectOnlyJsonRpc(child: FixtureProcess): void {
  expect(child.stdout.lines.length).toBeGreaterThan(0);
  for (const line of child.stdout.lines) {
    expect(() => JSON.parse(line), line).not.toThrow();
    expect(JSON.parse(line), line).toMatchObject({ jsonrpc: '2.0' });
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

describe('browser-mcp process', () => {
  it('writes nothing but JSON-RPC to stdout through calls, extension traffic, errors and shutdown', async () => {
    await using server = await startRaw();
    const { child, port } = server;
    write(child, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await child.waitForStdoutLine(/"id":2/);
    write(child, {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'browser_go_back', arguments: {} },
    });
    expect(await child.waitForStdoutLine(/"id":3/)).toContain('"isError":true');

    await using extension = await connectExtension(port, 'chrome-extension://test');
    extension.send('not json at all');
    await extension.hello();
    write(child, {
      jsonrpc: '2.0',
      id: 4,
      method: 'tools/call',
      params: { name: 'browser_get_console_logs', arguments: {} },
    });
    const command = await extension.nextCommand();
    extension.reply(command, { logs: [{ type: 'error', args: ['boom', { at: 1 }] }] });
    expect(await child.waitForStdoutLine(/"id":4/)).toContain('[error] boom {\\"at\\":1}');
    write(child, { jsonrpc: '2.0', id: 5, method: 'no/such/method' });
    await child.waitForStdoutLine(/"id":5/);
    child.child.stdin?.write('this is not json\n');

    child.child.stdin?.end();
    expect(await child.exited()).toEqual({ code: 0, signal: null });
    expectOnlyJsonRpc(child);
    expect(child.stderr.text).toContain('ignored a message from the extension (not JSON)');
  });

  it.each(['stdin-end', 'SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    'shuts down on %s with exit code 0 and frees its port',
    async (how) => {
      await using server = await startRaw();
      const { child, port } = server;
      await using extension = await connectExtension(port, 'chrome-extension://test');
      if (how === 'stdin-end') child.child.stdin?.end();
      else child.kill(how);
      expect(await child.exited()).toEqual({ code: 0, signal: null });
      expect(child.stderr.text).toContain(`shutting down (${how})`);
      expect(await portIsFree(port)).toBe(true);
      expect(extension.socket.readyState).not.toBe(extension.socket.OPEN);
      expectOnlyJsonRpc(child);
    },
  );

  it('shuts down cleanly when its client has closed the stderr pipe', async () => {
    const { child, port, [Symbol.asyncDispose]: dispose } = await startRaw('no-stderr');
    try {
      // The client stopped reading our logs: every log line from here on fails with EPIPE.
      child.child.stderr?.destroy();
      child.child.stdin?.end();
      expect(await child.exited()).toEqual({ code: 0, signal: null });
      expect(await portIsFree(port)).toBe(true);
    } finally {
      await dispose();
    }
  });

  it('exits 2 with one error line and nothing on stdout for an invalid option', async () => {
    await using child = spawnFixture(bin, ['--ports', '9000-abc']);
    expect(await child.exited()).toEqual({ code: 2, signal: null });
    expect(child.stderr.lines.filter(Boolean)).toEqual([
      "browser-mcp: --ports must be <start>-<end> with ports 1-65535, got '9000-abc'",
    ]);
    expect(child.stdout.lines.filter(Boolean)).toEqual([]);
  });

  it.each([
    ['192.0.2.1', 'is not an address of this machine (EADDRNOTAVAIL)'],
    ['nonexistent.invalid', 'could not be resolved'],
  ])('exits 2 naming --host when %s cannot be listened on, and registers nothing', async (host, reason) => {
    const range = await freePortRange(2);
    const registry = testRegistry();
    await using child = spawnFixture(bin, ['--host', host, '--ports', `${range.start}-${range.end}`], {
      env: { BROWSER_MCP_REGISTRY: registry },
    });
    expect(await child.exited()).toEqual({ code: 2, signal: null });
    const lines = child.stderr.lines.filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`browser-mcp: --host ${host} ${reason}`);
    expect(child.stdout.lines.filter(Boolean)).toEqual([]);
    expect(existsSync(registry)).toBe(false);
  });

  it('fails fast with exit 1 and a clear message when every port of the range is taken', async () => {
    await using holder = await startRaw();
    await using child = spawnFixture(bin, [
      '--ports',
      `${holder.port}-${holder.port}`,
      '--registry',
      testRegistry(),
    ]);
    expect(await child.exited()).toEqual({ code: 1, signal: null });
    expect(child.stderr.text).toContain(`no free port in ${holder.port}-${holder.port}`);
    expect(child.stdout.lines.filter(Boolean)).toEqual([]);
  });

  it('prints --help and --version to stdout and exits 0', async () => {
    await using help = spawnFixture(bin, ['--help']);
    expect(await help.exited()).toEqual({ code: 0, signal: null });
    expect(help.stdout.text).toContain('Usage: browser-mcp');
    await using version = spawnFixture(bin, ['--version']);
    expect(await version.exited()).toEqual({ code: 0, signal: null });
    expect(version.stdout.lines[0]).toMatch(/^\d+\.\d+\.\d+/);
  });
});
