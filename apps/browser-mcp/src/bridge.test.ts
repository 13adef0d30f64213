import { once } from 'node:events';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectExtension,
  connectGreetedExtension,
  httpRequest,
  testPairingFile,
  testPairingKey,
} from '../test/fake-extension.js';
import { attachBridge, type Bridge, type BridgeOptions } from './bridge.js';
import { BrowserMcpError } from './errors.js';
import { bindServer, createHttpServer, listeningPort } from './http-server.js';
import { openPairingKey } from './pairing/server-key.js';

interface Harness extends AsyncDisposable {
  readonly server: Server;
  readonly bridge: Bridge;
  readonly port: number;
  readonly logs: string[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startBridge(options: Partial<BridgeOptions> = {}): Promise<Harness> {
  const server = createHttpServer();
  await bindServer(server, 0, '127.0.0.1');
  const logs: string[] = [];
  await testPairingKey();
  const bridge = attachBridge(server, {
    instanceId: 'inst-1',
    log: (line) => logs.push(line),
    pairing: await openPairingKey(testPairingFile()),
    connectTimeoutMs: 200,
    ...options,
  });
  const dispose = async (): Promise<void> => {
    await bridge.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanups.push(dispose);
  return { server, bridge, port: listeningPort(server) as number, logs, [Symbol.asyncDispose]: dispose };
}

async function rejection(promise: Promise<unknown>): Promise<BrowserMcpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BrowserMcpError);
  return error as BrowserMcpError;
}

describe('bindServer', () => {
  it('rejects with EADDRINUSE on a taken port, and the same server can then bind elsewhere', async () => {
    const { port } = await startBridge();
    const server = createHttpServer();
    await expect(bindServer(server, port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await bindServer(server, 0, '127.0.0.1');
    expect(listeningPort(server)).toBeGreaterThan(0);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('discovery over HTTP', () => {
  it('answers HEAD and GET / with the instance and port', async () => {
    const { port } = await startBridge();
    expect((await httpRequest(port, { method: 'HEAD' })).status).toBe(200);
    const got = await httpRequest(port);
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body)).toMatchObject({ name: 'browser-mcp', instanceId: 'inst-1', port });
    expect((await httpRequest(port, { path: '/other' })).status).toBe(404);
    expect((await httpRequest(port, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a web page origin with 403 and accepts extensions, allowed origins and no origin', async () => {
    const { port } = await startBridge({ allowOrigins: ['http://localhost:3000'] });
    expect((await httpRequest(port, { origin: 'https://example.com' })).status).toBe(403);
    expect((await httpRequest(port, { origin: 'null' })).status).toBe(403);
    expect((await httpRequest(port, { origin: 'chrome-extension://abc' })).status).toBe(200);
    expect((await httpRequest(port, { origin: 'http://localhost:3000' })).status).toBe(200);
    expect((await httpRequest(port)).status).toBe(200);
  });
});

describe('WebSocket upgrades', () => {
  it('refuses https://example.com with 403 and accepts chrome-extension://abc', async () => {
    const { port, bridge } = await startBridge();
    await expect(connectExtension(port, 'https://example.com')).rejects.toMatchObject({ status: 403 });
    await using extension = await connectExtension(port, 'chrome-extension://abc');
    expect(extension.socket.readyState).toBe(extension.socket.OPEN);
    expect(bridge.connectionCount).toBe(1);
  });

  it('answers hello with helloAck, portListRequest with listPorts, and ping with nothing', async () => {
    const { port } = await startBridge({ listPorts: async () => [8765, 8766] });
    await using extension = await connectExtension(port, 'chrome-extension://abc');
    extension.send({ type: 'ping' });
    expect(await extension.hello()).toMatchObject({ type: 'helloAck', instanceId: 'inst-1', port });
    extension.send({ type: 'portListRequest' });
    expect(await extension.next()).toEqual({ type: 'portListResponse', ports: [8765, 8766] });
    // ping produced no message: helloAck and authResult came first and nothing else is queued.
    expect(extension.received).toHaveLength(3);
  });

  it('ignores malformed messages, logs them, and keeps the connection working', async () => {
    const { port, logs } = await startBridge();
    await using extension = await connectExtension(port, 'chrome-extension://abc');
    extension.send('{not json');
    extension.send({ type: 'mystery' });
    expect(await extension.hello()).toMatchObject({ type: 'helloAck' });
    expect(logs.filter((line) => line.startsWith('ignored a message'))).toHaveLength(2);
  });
});

describe('send', () => {
  it('fails with ENOEXTENSION naming the port when no extension is connected', async () => {
    const { bridge, port } = await startBridge();
    const error = await rejection(bridge.send('browser_navigate', { url: 'https://example.com' }));
    expect(error.code).toBe('ENOEXTENSION');
    expect(error.message).toContain(`port ${port}`);
  });

  it('sends {id, type, payload, instanceId} and resolves with the reply payload', async () => {
    const { bridge, port } = await startBridge();
    await using extension = await connectGreetedExtension(port, 'chrome-extension://abc');
    const result = bridge.send('browser_navigate', { url: 'https://example.com' });
    const command = await extension.nextCommand();
    expect(command).toEqual({
      id: expect.any(Number),
      type: 'browser_navigate',
      payload: { url: 'https://example.com' },
      instanceId: 'inst-1',
    });
    extension.send({ id: command.id, type: 'browser_navigate', payload: { title: 'Example' } });
    // Decoded by the protocol: a field the older extension left out is there, empty.
    await expect(result).resolves.toEqual({ url: '', title: 'Example' });
  });

  it('keeps the code of an extension error reply, and calls a code-less one EEXTENSION', async () => {
    const { bridge, port } = await startBridge();
    await using extension = await connectGreetedExtension(port, 'chrome-extension://abc');
    const result = bridge.send('dom.click', { element: 'x', ref: 'r1' });
    const command = await extension.nextCommand();
    extension.send({ id: command.id, error: 'no element with ref r1' });
    const error = await rejection(result);
    expect(error.code).toBe('EEXTENSION');
    expect(error.message).toContain('no element with ref r1');
    const coded = bridge.send('dom.click', { element: 'x', ref: 'r1' });
    extension.send({ id: (await extension.nextCommand()).id, error: 'Ref r1 is gone', code: 'ESTALEREF' });
    const stale = await rejection(coded);
    expect(stale.code).toBe('ESTALEREF');
    expect(stale.message).toBe("The browser extension failed 'dom.click': Ref r1 is gone");
  });

  it('decodes a reply that says it failed into EFAILED, and an unreadable one into EBADREPLY', async () => {
    const { bridge, port } = await startBridge();
    await using extension = await connectGreetedExtension(port, 'chrome-extension://abc');
    const clicking = bridge.send('dom.click', { element: 'x', ref: 'r1' });
    extension.reply(await extension.nextCommand(), { success: false, message: 'covered' });
    const failed = await rejection(clicking);
    expect(failed.code).toBe('EFAILED');
    expect(failed.message).toBe(
      "The browser extension could not do 'dom.click': covered (it did not succeed).",
    );
    const shooting = bridge.send('browser_screenshot', {});
    extension.reply(await extension.nextCommand(), { nothing: 1 });
    expect((await rejection(shooting)).code).toBe('EBADREPLY');
  });

  it('times out with ECOMMANDTIMEOUT when the extension never answers', async () => {
    const { bridge, port } = await startBridge({ commandTimeoutMs: 100 });
    await using extension = await connectGreetedExtension(port, 'chrome-extension://abc');
    const error = await rejection(bridge.send('browser_go_back', {}));
    expect(error.code).toBe('ECOMMANDTIMEOUT');
    expect(error.message).toContain("'browser_go_back' within 100 ms");
    expect(extension.received).toHaveLength(3); // helloAck, authResult, then the command
  });

  it('uses the newest connection and falls back to the previous one when it closes', async () => {
    const { bridge, port } = await startBridge();
    await using older = await connectGreetedExtension(port, 'chrome-extension://old');
    const newer = await connectGreetedExtension(port, 'chrome-extension://new');
    const first = bridge.send('browser_go_back', {});
    const toNewer = await newer.nextCommand();
    newer.send({ id: toNewer.id, payload: { title: 'newer' } });
    await expect(first).resolves.toEqual({ url: '', title: 'newer' });

    await newer.close();
    const second = bridge.send('browser_go_forward', {});
    const toOlder = await older.nextCommand();
    older.send({ id: toOlder.id, payload: { title: 'older' } });
    await expect(second).resolves.toEqual({ url: '', title: 'older' });
    expect(bridge.connectionCount).toBe(1);
  });

  it('fails pending commands at once when their connection closes, long before the timeout', async () => {
    const { bridge, port } = await startBridge({ commandTimeoutMs: 10 * 60_000 });
    const extension = await connectGreetedExtension(port, 'chrome-extension://abc');
    const result = bridge.send('snapshot.accessibility', {});
    await extension.nextCommand();
    extension.socket.terminate();
    const error = await rejection(result);
    expect(error.code).toBe('ECONNECTIONCLOSED');
  });

  it('rejects with EABORTED when the signal aborts, and ignores the late reply', async () => {
    const { bridge, port, logs } = await startBridge({ commandTimeoutMs: 10 * 60_000 });
    await using extension = await connectGreetedExtension(port, 'chrome-extension://abc');
    const controller = new AbortController();
    const result = bridge.send('console.get', {}, { signal: controller.signal });
    const command = await extension.nextCommand();
    controller.abort(new Error('client cancelled'));
    const error = await rejection(result);
    expect(error.code).toBe('EABORTED');
    expect((error.cause as Error).message).toBe('client cancelled');
    extension.send({ id: command.id, payload: {} });
    extension.send({ type: 'portListRequest' });
    await extension.next();
    expect(logs).toContain(`ignored a reply to unknown command id ${command.id}`);
  });

  it('close() fails pending commands with EBRIDGECLOSED, drops connections and refuses new ones', async () => {
    const { bridge, port } = await startBridge({ commandTimeoutMs: 10 * 60_000 });
    const extension = await connectGreetedExtension(port, 'chrome-extension://abc');
    const result = bridge.send('browser_go_back', {});
    await extension.nextCommand();
    const closedByServer = once(extension.socket, 'close');
    const failed = rejection(result);
    await bridge.close();
    expect((await failed).code).toBe('EBRIDGECLOSED');
    await closedByServer;
    expect((await rejection(bridge.send('browser_go_back', {}))).code).toBe('EBRIDGECLOSED');
  });

  it('reads the {wireId, type: "response"} reply shape, and ignores event frames quietly', async () => {
    const { bridge, port, logs } = await startBridge();
    await using extension = await connectGreetedExtension(port, 'chrome-extension://abc');
    const ok = bridge.send('browser_navigate', { url: 'https://example.com' });
    const first = await extension.nextCommand();
    extension.send({ type: 'event', event: 'tabUpdated', data: { tabId: 1 } });
    extension.reply(first, { url: 'https://example.com/', title: 'Example' }, 'wire');
    await expect(ok).resolves.toEqual({ url: 'https://example.com/', title: 'Example' });
    const bad = bridge.send('dom.click', { element: 'x', ref: 'e1' });
    extension.fail(await extension.nextCommand(), 'Element not found', 'wire');
    expect((await rejection(bad)).message).toContain('Element not found');
    expect(logs.filter((line) => line.startsWith('ignored'))).toEqual([]);
  });

  it('never gives commands to a socket that did not say hello, even a newer one', async () => {
    const { bridge, port } = await startBridge();
    await using silent = await connectExtension(port, 'chrome-extension://legacy');
    const refused = await rejection(bridge.send('browser_go_back', {}));
    expect(refused.code).toBe('ENOEXTENSION');
    expect(refused.message).toContain('No paired browser extension');

    await using greeted = await connectGreetedExtension(port, 'chrome-extension://multi');
    await using newerSilent = await connectExtension(port, 'chrome-extension://legacy');
    const result = bridge.send('browser_go_back', {});
    const command = await greeted.nextCommand();
    greeted.reply(command, { url: 'https://a.test/' });
    await expect(result).resolves.toEqual({ url: 'https://a.test/', title: '' });
    expect(silent.received).toEqual([]);
    expect(newerSilent.received).toEqual([]);
    expect(bridge.connectionCount).toBe(3);
    expect(bridge.helloCount).toBe(1);
  });
});
