import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  createNonce,
  decodePairingCode,
  derivePairingKey,
  handshakeProof,
  PAIRING_VERSION,
} from '@ports/browser-protocol';
import { createTempDir, freePortRange, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import {
  connectExtension,
  connectGreetedExtension,
  type FakeExtension,
  testPairingKey,
  testRegistry,
} from './fake-extension.js';
import { bin, startServer, text } from './mcp-server.js';

/** The id and Origin of our extension, pinned by its manifest key. */
const OUR_ORIGIN = 'chrome-extension://beooejmhcmljjlngnmaflpbdmbcjhenc';

/** Runs `browser-mcp pair` with `env` and returns its exit code and output. */
function pair(args: readonly string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [bin, 'pair', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Opens a handshake by hand on `extension`: says hello with a fresh nonce and returns the hello, and
 * what the extension's proof is bound to (the honest binding; a test alters it to attack).
 */
async function openHandshake(extension: FakeExtension, port: number) {
  const extensionNonce = createNonce();
  const hello = {
    type: 'hello',
    wants: 'instanceId',
    pairing: { version: PAIRING_VERSION, nonce: extensionNonce },
  };
  extension.send(hello);
  const ack = await extension.next<{ instanceId: string; pairing: { nonce: string } }>(
    (m) => m.type === 'helloAck',
  );
  const binding = {
    address: '127.0.0.1',
    port,
    instanceId: ack.instanceId,
    extensionNonce,
    serverNonce: ack.pairing.nonce,
  };
  return { hello, binding };
}

/** The first frame the server sends after a hello of the given shape, and whether it closed the socket. */
async function refusal(extension: FakeExtension): Promise<Record<string, unknown>> {
  const closed = once(extension.socket, 'close');
  const result = await extension.next((m) => m.type === 'authResult');
  await closed;
  return result;
}

describe('browser-mcp pair', () => {
  it('prints the code as its last stdout line, the words on stderr, and makes the secret once', async () => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    const first = pair([], { BROWSER_MCP_PAIRING_FILE: file });
    expect(first.code).toBe(0);
    const code = first.stdout.trim().split('\n').at(-1) as string;
    expect(first.stdout.trim()).toBe(code); // nothing else on stdout
    expect(() => decodePairingCode(code)).not.toThrow();
    expect(first.stderr).toContain('Pairing code');
    expect(first.stderr).toContain(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = pair([], { BROWSER_MCP_PAIRING_FILE: file });
    expect(again.stdout.trim()).toBe(code);
    expect(again.stderr).not.toContain('made');
  });

  it('--reset makes a new code and says every paired browser must pair again', async () => {
    await using dir = await createTempDir();
    const env = { BROWSER_MCP_PAIRING_FILE: dir.join('pairing.json') };
    const before = pair([], env).stdout.trim();
    const reset = pair(['--reset'], env);
    expect(reset.code).toBe(0);
    expect(reset.stdout.trim()).not.toBe(before);
    expect(reset.stderr).toContain('Every browser that was paired must pair again');
  });

  it('uses $XDG_CONFIG_HOME/browser-mcp, else ~/.config/browser-mcp, when no file is named', async () => {
    await using dir = await createTempDir();
    const base = { BROWSER_MCP_PAIRING_FILE: '', HOME: dir.path };
    expect(pair([], { ...base, XDG_CONFIG_HOME: dir.join('xdg') }).code).toBe(0);
    expect((await stat(dir.join('xdg', 'browser-mcp', 'pairing.json'))).isFile()).toBe(true);
    expect(pair([], { ...base, XDG_CONFIG_HOME: '' }).code).toBe(0);
    expect((await stat(dir.join('.config', 'browser-mcp', 'pairing.json'))).isFile()).toBe(true);
  });

  it('exits 1 naming a corrupt file and leaves it alone; the server will not start with it either', async () => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, '{"version":1,', { mode: 0o600 });
    const result = pair([], { BROWSER_MCP_PAIRING_FILE: file });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('pair --reset');
    expect(await readFile(file, 'utf8')).toBe('{"version":1,');
    const range = await freePortRange(2);
    await using server = spawnFixture(bin, ['--ports', `${range.start}-${range.end}`], {
      env: { BROWSER_MCP_PAIRING_FILE: file, BROWSER_MCP_REGISTRY: testRegistry() },
    });
    expect((await server.exited()).code).toBe(1);
    expect(server.stderr.text).toContain(`pairing secret file ${file}`);
  });

  it('--help lists pair and pair --reset', () => {
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.stdout).toContain('pair ');
    expect(help.stdout).toContain('pair --reset');
    expect(help.stdout).toContain('--allow-unpaired');
    expect(help.stdout).toContain('--connect-timeout');
  });

  it('five servers started at once share one secret, created by one of them', async () => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    const range = await freePortRange(6);
    const registry = testRegistry();
    const servers = Array.from({ length: 5 }, (_, i) =>
      spawnFixture(bin, ['--ports', `${range.start}-${range.end}`], {
        env: { BROWSER_MCP_PAIRING_FILE: file, BROWSER_MCP_REGISTRY: registry, MCP_INSTANCE_ID: `five-${i}` },
      }),
    );
    try {
      const ports = await Promise.all(
        servers.map(async (server) => {
          const line = await server.waitForStderrLine(/listening on 127\.0\.0\.1:\d+/);
          return Number(/:(\d+) as /.exec(line)?.[1]);
        }),
      );
      const key = decodePairingCode(pair([], { BROWSER_MCP_PAIRING_FILE: file }).stdout.trim());
      for (const port of ports) {
        await using extension = await connectExtension(port, OUR_ORIGIN);
        await expect(extension.hello(key)).resolves.toMatchObject({ port });
      }
    } finally {
      await Promise.all(servers.map((server) => server[Symbol.asyncDispose]()));
    }
  });
});

describe('only a paired extension takes commands', () => {
  it('a forged Origin with a plain hello gets no command, and the paired extension keeps them', async () => {
    await using server = await startServer([], 'forged-origin');
    await using real = await connectGreetedExtension(server.port, OUR_ORIGIN);
    await using forger = await connectExtension(server.port, OUR_ORIGIN);
    forger.send({ type: 'hello', wants: 'instanceId' });
    expect(await refusal(forger)).toMatchObject({ ok: false, code: 'EUNPAIRED' });
    const calling = server.client.callTool({ name: 'browser_go_back', arguments: {} });
    real.reply(await real.nextCommand(), { url: 'https://a.test/' });
    expect(text(await calling)).toBe('- Page URL: https://a.test/');
    expect(forger.received.filter((m) => typeof (m as { id?: unknown }).id === 'number')).toEqual([]);
    expect(server.stderr.text).toContain('refused an extension that did not pair');
  });

  it('a hello with a nonce but a made-up proof is refused and closed', async () => {
    await using server = await startServer([], 'made-up');
    await using forger = await connectExtension(server.port, OUR_ORIGIN);
    forger.send({
      type: 'hello',
      wants: 'instanceId',
      pairing: { version: PAIRING_VERSION, nonce: createNonce() },
    });
    await forger.next((m) => m.type === 'helloAck');
    forger.send({ type: 'auth', proof: 'A'.repeat(43) });
    expect(await refusal(forger)).toMatchObject({ ok: false, code: 'EBADPROOF' });
  });

  it('a recorded handshake replayed on a new socket is refused', async () => {
    await using server = await startServer(['--connect-timeout', '500'], 'replay');
    const key = await testPairingKey();
    // Record what a real extension sends in one handshake…
    await using recorded = await connectExtension(server.port, OUR_ORIGIN);
    const { hello, binding } = await openHandshake(recorded, server.port);
    const auth = { type: 'auth', proof: await handshakeProof(key, 'extension', binding) };
    recorded.send(auth);
    expect(await recorded.next((m) => m.type === 'authResult')).toMatchObject({ ok: true });
    await recorded.close();
    // …and replay it byte for byte: the server's nonce is new, so the old proof does not fit.
    await using replayer = await connectExtension(server.port, OUR_ORIGIN);
    replayer.send(hello);
    await replayer.next((m) => m.type === 'helloAck');
    replayer.send(auth);
    expect(await refusal(replayer)).toMatchObject({ ok: false, code: 'EBADPROOF' });
    const result = await server.client.callTool({ name: 'browser_go_back', arguments: {} });
    expect(result.isError).toBe(true);
  });

  it('a proof made for another port is refused (a relay on another port cannot pass)', async () => {
    await using server = await startServer([], 'other-port');
    const key = await testPairingKey();
    await using relayed = await connectExtension(server.port, OUR_ORIGIN);
    const { binding } = await openHandshake(relayed, server.port);
    relayed.send({
      type: 'auth',
      proof: await handshakeProof(key, 'extension', { ...binding, port: server.port + 1 }),
    });
    expect(await refusal(relayed)).toMatchObject({ ok: false, code: 'EBADPROOF' });
  });

  it('an extension paired with another secret is refused', async () => {
    await using server = await startServer([], 'other-secret');
    await using stranger = await connectExtension(server.port, OUR_ORIGIN);
    const otherKey = await derivePairingKey(new Uint8Array(32).fill(7));
    await expect(stranger.hello(otherKey)).rejects.toThrow(/could not prove/);
  });

  it('a tool call made before any extension waits for one that pairs within --connect-timeout', async () => {
    await using server = await startServer([], 'waits');
    const calling = server.client.callTool({ name: 'browser_go_back', arguments: {} });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A socket that is still in its handshake is waited for too.
    await using late = await connectExtension(server.port, OUR_ORIGIN);
    await late.hello();
    late.reply(await late.nextCommand(), { url: 'https://late.test/' });
    expect(text(await calling)).toBe('- Page URL: https://late.test/');
  });

  it('the options page’s verifying handshake never takes a waiting command', async () => {
    await using server = await startServer([], 'verify-only');
    const key = await testPairingKey();
    const calling = server.client.callTool({ name: 'browser_go_back', arguments: {} });
    await using checker = await connectExtension(server.port, OUR_ORIGIN);
    const { binding } = await openHandshake(checker, server.port);
    const closed = once(checker.socket, 'close');
    checker.send({ type: 'auth', proof: await handshakeProof(key, 'extension', binding), verifyOnly: true });
    expect(await checker.next((m) => m.type === 'authResult')).toMatchObject({ ok: true });
    await closed;
    await using real = await connectGreetedExtension(server.port, OUR_ORIGIN);
    real.reply(await real.nextCommand(), { url: 'https://real.test/' });
    expect(text(await calling)).toBe('- Page URL: https://real.test/');
  });
});

describe('a reset and the address', () => {
  it('pair --reset unpairs a browser connected now: it gets no more commands', async () => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    const key = decodePairingCode(pair([], { BROWSER_MCP_PAIRING_FILE: file }).stdout.trim());
    const range = await freePortRange(2);
    await using child = spawnFixture(
      bin,
      ['--ports', `${range.start}-${range.end}`, '--connect-timeout', '300'],
      {
        env: {
          BROWSER_MCP_PAIRING_FILE: file,
          BROWSER_MCP_REGISTRY: testRegistry(),
          MCP_INSTANCE_ID: 'reset',
        },
      },
    );
    const line = await child.waitForStderrLine(/listening on 127\.0\.0\.1:\d+/);
    const port = Number(/:(\d+) as /.exec(line)?.[1]);
    child.child.stdin?.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`,
    );
    await child.waitForStdoutLine(/"id":1/);
    await using old = await connectExtension(port, OUR_ORIGIN);
    await old.hello(key);
    const closed = once(old.socket, 'close');
    expect(pair(['--reset'], { BROWSER_MCP_PAIRING_FILE: file }).code).toBe(0);
    child.child.stdin?.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'browser_go_back', arguments: {} } })}\n`,
    );
    expect(await child.waitForStdoutLine(/"id":2/)).toContain('"isError":true');
    await closed;
    expect(old.received.filter((m) => typeof (m as { id?: unknown }).id === 'number')).toEqual([]);
    expect(child.stderr.text).toContain('paired with a secret that was reset');
  });

  it('a proof for the same port at another address is refused (a relay on 127.0.0.1 in front of ::1)', async () => {
    await using server = await startServer([], 'other-address');
    const key = await testPairingKey();
    await using relayed = await connectExtension(server.port, OUR_ORIGIN);
    const { binding } = await openHandshake(relayed, server.port);
    relayed.send({
      type: 'auth',
      proof: await handshakeProof(key, 'extension', { ...binding, address: '::1' }),
    });
    expect(await refusal(relayed)).toMatchObject({ ok: false, code: 'EBADPROOF' });
  });

  it('keeps at most 32 sockets in their handshake; more are refused with 503', async () => {
    await using server = await startServer([], 'flood');
    const flood = await Promise.all(
      Array.from({ length: 32 }, () => connectExtension(server.port, OUR_ORIGIN)),
    );
    try {
      await expect(connectExtension(server.port, OUR_ORIGIN)).rejects.toMatchObject({ status: 503 });
    } finally {
      await Promise.all(flood.map((socket) => socket.close()));
    }
    // Once they are gone, the real extension pairs as usual.
    await using real = await connectGreetedExtension(server.port, OUR_ORIGIN);
    expect(real.socket.readyState).toBe(real.socket.OPEN);
  });

  it('closes sockets that stay silent past the handshake deadline, so a flood that never lets go locks nobody out', async () => {
    await using server = await startServer([], 'silent-flood');
    const flood = await Promise.all(
      Array.from({ length: 32 }, () => connectExtension(server.port, OUR_ORIGIN)),
    );
    try {
      await expect(connectExtension(server.port, OUR_ORIGIN)).rejects.toMatchObject({ status: 503 });
      // The attacker never sends a hello and never closes: the server closes each at its deadline.
      await Promise.all(flood.map((extension) => once(extension.socket, 'close')));
      await using real = await connectGreetedExtension(server.port, OUR_ORIGIN);
      expect(real.socket.readyState).toBe(real.socket.OPEN);
    } finally {
      await Promise.all(
        flood
          .filter((extension) => extension.socket.readyState !== extension.socket.CLOSED)
          .map((extension) => extension.close()),
      );
    }
  });
});

describe('--allow-unpaired', () => {
  it('lets the older extension in, warning at start and on each connection; its wire replies work', async () => {
    await using server = await startServer(['--allow-unpaired'], 'legacy-allowed');
    expect(server.stderr.text).toContain('WARNING: --allow-unpaired');
    await using legacy = await connectExtension(server.port, 'chrome-extension://older');
    expect(await legacy.helloUnpaired()).toMatchObject({ type: 'helloAck', instanceId: 'legacy-allowed' });
    await server.stderr.waitFor(/WARNING: an unpaired extension from chrome-extension:\/\/older connected/);
    const calling = server.client.callTool({
      name: 'browser_navigate',
      arguments: { url: 'https://old.test/' },
    });
    legacy.reply(await legacy.nextCommand(), { url: 'https://old.test/', title: 'Old' }, 'wire');
    expect(text(await calling)).toBe('- Page URL: https://old.test/\n- Page Title: Old');
  });

  it('without it, the older extension is told how to let it in and closed', async () => {
    await using server = await startServer([], 'legacy-refused');
    await using legacy = await connectExtension(server.port, 'chrome-extension://older');
    legacy.send({ type: 'hello', wants: 'instanceId' });
    const answer = await refusal(legacy);
    expect(answer).toMatchObject({ ok: false, code: 'EUNPAIRED' });
    expect(String(answer.message)).toContain('--allow-unpaired');
    expect(String(answer.message)).toContain('browser-mcp pair');
  });
});

describe('labels', () => {
  it('--name labels the instance for the extension and for browser-mcp instances', async () => {
    await using server = await startServer(['--name', 'Work browser'], 'named');
    await using extension = await connectExtension(server.port, OUR_ORIGIN);
    expect(await extension.hello()).toMatchObject({ label: 'Work browser' });
    const instances = (json: boolean) =>
      spawnSync(
        process.execPath,
        [
          bin,
          'instances',
          '--registry',
          server.registry,
          '--ports',
          `${server.range.start}-${server.range.end}`,
          ...(json ? ['--json'] : []),
        ],
        { encoding: 'utf8' },
      ).stdout;
    const table = instances(false);
    expect(table, table).toMatch(new RegExp(`^${server.port}\\s+Work browser\\s`, 'm'));
    expect(JSON.parse(instances(true))).toEqual([
      expect.objectContaining({ port: server.port, instanceId: 'named', label: 'Work browser' }),
    ]);
  });

  it('defaults to the MCP client’s name and the working folder’s name', async () => {
    await using server = await startServer([], 'default-label');
    await using extension = await connectExtension(server.port, OUR_ORIGIN);
    const ack = await extension.hello();
    const expected = `browser-mcp-e2e · ${basename(process.cwd())}`;
    // initialize may be read after the socket paired: then the label comes in instanceLabel.
    const label =
      ack.label === expected
        ? ack.label
        : (await extension.next<{ label: string }>((m) => m.type === 'instanceLabel')).label;
    expect(label).toBe(expected);
  });
});
