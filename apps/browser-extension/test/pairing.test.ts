// Pairing in a real Chromium with our extension: the three attacks of issue 20 (a rogue listener
// in the range, a relay on another port of the range, a forged-Origin client), the options page
// (wrong code, right code, Unpair), the popup's paired state, named sessions keeping their tab
// group, and a tool call made before the extension connects.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNonce } from '@ports/browser-protocol';
import { createTempDir, freePortRange } from '@ports/test-utils';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { pairingCodeFor } from '../scripts/launch-chromium.mjs';
import { call } from './client.js';
import {
  type ExtensionBrowser,
  findChromium,
  launchWithExtension,
  type McpServerProcess,
  serverBin,
  startMcpServer,
  tempRegistry,
  testPairingCode,
} from './harness.js';

const chromiumPath = findChromium();
const required = process.env.CI === 'true';
if (!chromiumPath && !required) {
  console.warn(
    'browser-extension pairing tests skipped: no Chromium found (set CHROME_PATH, or apt-get install chromium)',
  );
}

/** Our extension's id, pinned by the manifest's `key`. */
const EXTENSION_ID = 'beooejmhcmljjlngnmaflpbdmbcjhenc';

/** A page server that counts the requests of every path, so a test can tell what the browser loaded. */
async function countingPages(): Promise<
  { url(path: string): string; hits(path: string): number } & AsyncDisposable
> {
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!doctype html><title>${path}</title><h1>${path}</h1>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits: (path) => hits.get(path) ?? 0,
    [Symbol.asyncDispose]: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A rogue listener on `port`: answers the discovery probe like a server, says helloAck with a
 * made-up proof (or, `proofless`, no helloAck at all), then `authResult ok` unasked, and keeps
 * sending `browser_navigate` to `target` as issue 20's attacker did.
 */
async function rogueServer(port: number, target: string, { proofless = false } = {}) {
  const http = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    response.end(
      JSON.stringify({ name: 'browser-mcp', instanceId: 'rogue', port, pid: 1, startedAt: Date.now() }),
    );
  });
  const wss = new WebSocketServer({ server: http });
  let hellos = 0;
  const timers: ReturnType<typeof setInterval>[] = [];
  wss.on('connection', (socket) => {
    socket.on('error', () => {});
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type?: string };
      if (message.type !== 'hello') return;
      hellos += 1;
      if (!proofless)
        socket.send(
          JSON.stringify({
            type: 'helloAck',
            instanceId: 'rogue',
            port,
            pairing: { nonce: createNonce(), proof: 'A'.repeat(43) },
          }),
        );
      socket.send(JSON.stringify({ type: 'authResult', ok: true }));
      let id = 1;
      const timer = setInterval(() => {
        if (socket.readyState !== socket.OPEN) return clearInterval(timer);
        socket.send(
          JSON.stringify({
            id: id++,
            type: 'browser_navigate',
            payload: { url: target },
            instanceId: 'rogue',
          }),
        );
      }, 20);
      timers.push(timer);
    });
  });
  await new Promise<void>((resolve) =>
    http.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve()),
  );
  return {
    hellos: () => hellos,
    [Symbol.asyncDispose]: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const client of wss.clients) client.terminate();
      http.closeAllConnections();
      await new Promise<void>((resolve) => wss.close(() => http.close(() => resolve())));
    },
  };
}

/** One unmasked WebSocket text frame, as a server sends it. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, payload.length])
      : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload]);
}

/**
 * A TCP relay on `port` in front of the real server on `target`: it forwards both ways, and right
 * after the server's `helloAck` passes through it splices in a `browser_navigate` frame of its own.
 */
async function relay(port: number, target: number, instanceId: string, url: string) {
  const sockets = new Set<Socket>();
  let spliced = 0;
  const server: TcpServer = createTcpServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      if (chunk.includes('helloAck')) {
        spliced += 1;
        const command = { id: 9_000 + spliced, type: 'browser_navigate', payload: { url }, instanceId };
        client.write(textFrame(JSON.stringify(command)));
        setTimeout(
          () => client.writable && client.write(textFrame(JSON.stringify({ ...command, id: 9_500 }))),
          30,
        );
      }
    });
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) =>
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve()),
  );
  return {
    spliced: () => spliced,
    [Symbol.asyncDispose]: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function options(browser: ExtensionBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  return page;
}

async function storedPairing(browser: ExtensionBrowser): Promise<unknown> {
  return (await browser.worker()).evaluate(async () => (await chrome.storage.local.get('pairing')).pairing);
}

/** Waits until the popup shows `port` in `state`, and returns the popup's banner and rows as text. */
async function popupShows(browser: ExtensionBrowser, port: number, state: string): Promise<string> {
  const popup = await browser.context.newPage();
  try {
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    const row = popup.locator(`li.server.${state.replace(' ', '-')}`, { hasText: String(port) });
    await row.waitFor({ timeout: 20_000 });
    return `${await popup.textContent('#pairing')}\n${await popup.textContent('#servers')}`;
  } finally {
    await popup.close();
  }
}

describe.skipIf(!chromiumPath && !required)('pairing, in Chromium with our extension', () => {
  let browser: ExtensionBrowser;
  let range: { start: number; end: number };
  let server: McpServerProcess;
  let pages: Awaited<ReturnType<typeof countingPages>>;
  const registry = tempRegistry();

  beforeAll(async () => {
    range = await freePortRange(6);
    pages = await countingPages();
    server = await startMcpServer(range, 'paired-one', registry, [
      '--connect-timeout',
      '1500',
      '--name',
      'Claude Desktop',
    ]);
    browser = await launchWithExtension(chromiumPath as string, range, { pair: false });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await browser?.close();
    await pages?.[Symbol.asyncDispose]();
  });

  it('has the pinned id on every machine', () => {
    expect(browser.extensionId).toBe(EXTENSION_ID);
  });

  it('unpaired, it drives nothing; the popup says so and lists the server as not paired', async () => {
    const result = await call(server.client, 'browser_navigate', { url: pages.url('/unpaired') });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('run `browser-mcp pair`');
    expect(pages.hits('/unpaired')).toBe(0);
    const text = await popupShows(browser, server.port, 'not paired');
    expect(text).toContain('Not paired');
  });

  it('a wrong code is a clear message and nothing is stored', async () => {
    const page = await options(browser);
    await page.getByLabel('Pairing code').fill('ABCD-EFGH-not-a-code');
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    await expect.poll(() => page.textContent('#pairing-message')).toContain('Nothing was stored');
    expect(await storedPairing(browser)).toBeUndefined();

    // A well-formed code of another secret: the running server does not know it.
    await using other = await createTempDir();
    const foreign = pairingCodeFor(serverBin, join(other.path, 'pairing.json'));
    await page.getByLabel('Pairing code').fill(foreign);
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    await expect
      .poll(() => page.textContent('#pairing-message'), { timeout: 10_000 })
      .toContain(`not the one of the browser-mcp running on port ${server.port}`);
    expect(await storedPairing(browser)).toBeUndefined();
    expect(await page.textContent('#pairing-state')).not.toBe('Paired');

    // A listener in the range that says `authResult ok` without any proof confirms nothing.
    {
      await using _rogue = await rogueServer(range.start + 3, pages.url('/rogue-confirm'), {
        proofless: true,
      });
      await page.getByLabel('Pairing code').fill(foreign);
      await page.getByRole('button', { name: 'Pair', exact: true }).click();
      await expect
        .poll(() => page.textContent('#pairing-message'), { timeout: 10_000 })
        .toContain(`running on port ${[server.port, range.start + 3].sort((a, b) => a - b).join(', ')} `);
      expect(await page.textContent('#pairing-message')).toContain('Nothing was stored');
      expect(await storedPairing(browser)).toBeUndefined();
    }
    await page.close();
  });

  it('the right code pairs: Paired, stored, and the server drives its tab', async () => {
    const page = await options(browser);
    await page.getByLabel('Pairing code').fill(testPairingCode());
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    await expect.poll(() => page.textContent('#pairing-state')).toBe('Paired');
    expect(await page.textContent('#pairing-message')).toContain(
      `Confirmed by the browser-mcp on port ${server.port}`,
    );
    expect(await storedPairing(browser)).toMatchObject({ key: expect.any(String) });
    const picture = process.env.UPDATE_POPUP_PICTURE
      ? new URL('../docs/pairing.png', import.meta.url).pathname
      : join(tmpdir(), `browser-extension-pairing-${process.pid}.png`);
    await page.setViewportSize({ width: 640, height: 420 });
    writeFileSync(picture, await page.screenshot());
    await page.close();

    await expect
      .poll(
        async () => (await call(server.client, 'browser_navigate', { url: pages.url('/paired') })).isError,
        {
          timeout: 15_000,
        },
      )
      .toBe(false);
    expect(pages.hits('/paired')).toBeGreaterThan(0);
    const text = await popupShows(browser, server.port, 'connected');
    expect(text).toContain('Paired');
    expect(text).toContain('Claude Desktop');
  });

  it('survives a service worker restart: still paired, still driven', async () => {
    // chrome://serviceworker-internals stops the worker as Chrome does when it retires an idle one.
    const internals = await browser.context.newPage();
    await internals.goto('chrome://serviceworker-internals/');
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    const startedAt = () =>
      popup.evaluate(
        async () => (await chrome.storage.session.get('workerStartedAt')).workerStartedAt as number,
      );
    const first = await startedAt();
    await internals
      .locator('.serviceworker-registration', { hasText: `chrome-extension://${browser.extensionId}/` })
      .locator('cr-button[data-command="stop"]')
      .first()
      .click();
    await expect.poll(startedAt, { timeout: 15_000, interval: 20 }).not.toBe(first);
    await Promise.all([internals.close(), popup.close()]);
    await expect
      .poll(
        async () =>
          (await call(server.client, 'browser_navigate', { url: pages.url('/after-restart') })).isError,
        {
          timeout: 15_000,
        },
      )
      .toBe(false);
    expect(await storedPairing(browser)).toMatchObject({ key: expect.any(String) });
  });

  it('a rogue listener in the range is never driven, and the popup lists it as not paired', async () => {
    const port = range.start + 4;
    await using rogue = await rogueServer(port, pages.url('/rogue'));
    await expect.poll(() => rogue.hellos(), { timeout: 15_000 }).toBeGreaterThan(0);
    // Its commands stream for a while; not one page load may follow.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(pages.hits('/rogue')).toBe(0);
    await popupShows(browser, port, 'not paired');
  });

  it('a relay on another port of the range cannot splice a command in', async () => {
    const port = range.start + 5;
    await using relayed = await relay(port, server.port, 'paired-one', pages.url('/relay'));
    await expect.poll(() => relayed.spliced(), { timeout: 15_000 }).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(pages.hits('/relay')).toBe(0);
    // The real server is still driven on its own port.
    expect((await call(server.client, 'browser_navigate', { url: pages.url('/direct') })).isError).toBe(
      false,
    );
  });

  it('a local client with our Origin and a hello takes nothing from the real extension', async () => {
    const forger = new WebSocket(`ws://127.0.0.1:${server.port}`, {
      origin: `chrome-extension://${EXTENSION_ID}`,
    });
    const received: string[] = [];
    forger.on('message', (data) => received.push(String(data)));
    await new Promise((resolve, reject) => forger.once('open', resolve).once('error', reject));
    forger.send(JSON.stringify({ type: 'hello', wants: 'instanceId' }));
    await new Promise((resolve) => forger.once('close', resolve));
    const result = await call(server.client, 'browser_navigate', { url: pages.url('/still-mine') });
    expect(result.isError, result.text).toBe(false);
    expect(received.some((frame) => frame.includes('"id"'))).toBe(false);
  });

  it('a restarted named session gets back its own tab group with the same tab, asking for nothing', async () => {
    let named = await startMcpServer(range, 'named-session', registry, ['--name', 'Named']);
    const tabsOf = async () =>
      (await browser.worker()).evaluate(async () =>
        (await chrome.tabs.query({}))
          .filter((t) => t.url?.includes('/named'))
          .map((t) => ({ id: t.id, group: t.groupId })),
      );
    try {
      await expect
        .poll(
          async () => (await call(named.client, 'browser_navigate', { url: pages.url('/named') })).isError,
          {
            timeout: 15_000,
          },
        )
        .toBe(false);
      const before = await tabsOf();
      expect(before).toHaveLength(1);
      await named.close();
      named = await startMcpServer(range, 'named-session', registry, ['--name', 'Named']);
      await expect
        .poll(async () => (await call(named.client, 'browser_tabs', { action: 'list' })).text, {
          timeout: 15_000,
        })
        .toContain('/named');
      expect(await tabsOf()).toEqual(before);
      const title = await (await browser.worker()).evaluate(
        async (group) => (await chrome.tabGroups.get(group)).title,
        before[0]?.group as number,
      );
      expect(title).toBe('Named');
    } finally {
      await named.close();
    }
  });

  it('a tool call made before the extension found the server succeeds once it pairs', async () => {
    await using late = await startMcpServer(range, 'late-comer', registry, ['--connect-timeout', '20000']);
    const result = await call(late.client, 'browser_navigate', { url: pages.url('/late') });
    expect(result.isError, result.text).toBe(false);
    expect(pages.hits('/late')).toBeGreaterThan(0);
  });

  it('after Unpair, nothing is driven', async () => {
    const page = await options(browser);
    await page.getByRole('button', { name: 'Unpair' }).click();
    await expect.poll(() => page.textContent('#pairing-state')).toBe('Pairing needed');
    expect(await storedPairing(browser)).toBeUndefined();
    await page.close();
    const result = await call(server.client, 'browser_navigate', { url: pages.url('/after-unpair') });
    expect(result.isError).toBe(true);
    expect(pages.hits('/after-unpair')).toBe(0);
  });
});
