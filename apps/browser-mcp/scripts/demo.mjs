#!/usr/bin/env node
// `pnpm demo`: five browser-mcp servers started at once, as five AI clients would, sharing one
// registry. Shows distinct ports, the live-instance table, tool calls through our extension in a
// headless Chromium driving a real local page from two clients, each on its own tab (or, where no
// Chromium is found, a round trip through a stand-in extension), crash recovery after SIGKILL, and
// an empty registry after shutdown. It uses a registry file of its own in a temp directory, so it
// never disturbs real servers, and the extension scans only the demo's own servers' ports.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { decodePairingCode, startExtensionHandshake } from '@ports/browser-protocol';
import WebSocket from 'ws';
import {
  findChromium,
  INSTALL_HINT,
  launchWithExtension,
  pairingCodeFor,
  resultText,
  waitForExtension,
} from '../../browser-extension/scripts/launch-chromium.mjs';

const bin = fileURLToPath(new URL('../bin/browser-mcp.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'browser-mcp-demo-'));
const registry = join(dir, 'registry.json');
// The demo's own pairing secret: the user's real one (~/.config/browser-mcp) is never touched.
const pairingFile = join(dir, 'pairing.json');
const ports = process.env.BROWSER_MCP_PORTS || '8765-8775';
const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (title) => say(`\n== ${title}`);

/** Starts one server through the MCP SDK's stdio client, exactly as Claude Desktop or Cursor would. */
async function startServer(name) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, '--registry', registry, '--ports', ports],
    env: { ...getDefaultEnvironment(), MCP_INSTANCE_ID: name, BROWSER_MCP_PAIRING_FILE: pairingFile },
    stderr: 'pipe',
  });
  let stderr = '';
  const listening = new Promise((resolve, reject) => {
    transport.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on ([\d.]+):(\d+) as (\S+)/.exec(stderr);
      if (match) resolve(Number(match[2]));
    });
    setTimeout(() => reject(new Error(`${name} did not start:\n${stderr}`)), 30_000).unref();
  });
  const client = new Client({ name: `demo-client-${name}`, version: '1.0.0' });
  await client.connect(transport);
  return { name, client, transport, port: await listening };
}

function instancesTable() {
  const result = spawnSync(process.execPath, [bin, 'instances', '--registry', registry, '--ports', ports], {
    encoding: 'utf8',
  });
  return result.stdout.trimEnd();
}

/**
 * A stand-in for the Chrome extension, speaking its protocol: the pairing handshake with the key
 * of `code` (`hello` with a nonce, the server's proof checked, ours sent), then answers
 * `browser_navigate`, in the two reply shapes in turn (`{id, type, payload}`, then
 * `{wireId, type: "response", data}`), and any other command with an error.
 */
function connectExtension(port, code) {
  const handshake = startExtensionHandshake(decodePairingCode(code), port);
  let replies = 0;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, { origin: 'chrome-extension://demo' });
    socket.on('message', async (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'helloAck') {
        const answer = await handshake.answer(message);
        if (!answer.ok) {
          reject(new Error(`the server on port ${port}: ${answer.reason}`));
          socket.close();
          return;
        }
        say(
          `   extension: helloAck from ${message.instanceId} on port ${message.port}, its proof checks out`,
        );
        socket.send(JSON.stringify(answer.auth));
        return;
      }
      if (message.type === 'authResult') {
        if (!message.ok) return reject(new Error(`the server refused the stand-in: ${message.message}`));
        say('   extension: paired (the server accepted its proof)');
        resolve(socket);
        return;
      }
      if (typeof message.id !== 'number') return;
      say(`   extension received: ${JSON.stringify(message)}`);
      if (message.type !== 'browser_navigate') {
        socket.send(JSON.stringify({ id: message.id, error: `the stand-in cannot do ${message.type}` }));
        return;
      }
      const url = message.payload?.url;
      const page = { url, title: `Example page at ${url}` };
      const wire = replies++ % 2 === 1;
      say(
        `   extension answers in the ${wire ? '{wireId, type: "response", data}' : '{id, type, payload}'} shape`,
      );
      socket.send(
        JSON.stringify(
          wire
            ? { wireId: message.id, type: 'response', data: page }
            : { id: message.id, type: message.type, payload: page },
        ),
      );
    });
    socket.once('open', () => socket.send(JSON.stringify(handshake.hello)));
    socket.once('error', reject);
  });
}

/** The demo's page: who is driving it comes from `?client=`; the button changes the page. */
const DEMO_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Demo page</title></head>
<body style="font: 18px system-ui, sans-serif; margin: 2em">
<h1>A real page, driven through browser-mcp</h1>
<p id="status">Nobody has clicked yet.</p>
<button type="button" id="hello">Say hello</button>
<script>
  const client = new URLSearchParams(location.search).get('client') ?? 'someone';
  document.title = 'Demo page for ' + client;
  let clicks = 0;
  document.getElementById('hello').addEventListener('click', () => {
    clicks += 1;
    document.getElementById('status').textContent = 'Hello, ' + client + '! Clicked ' + clicks + ' time(s).';
    document.body.style.background = '#d8f5d0';
  });
</script>
</body></html>`;

/** Serves {@link DEMO_PAGE} on a free loopback port. */
async function servePage() {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(DEMO_PAGE);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: (client) => `http://127.0.0.1:${server.address().port}/?client=${encodeURIComponent(client)}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Width and height of a PNG, read from its IHDR chunk; throws when `png` is not a PNG. */
function pngSize(png) {
  if (
    png.length < 24 ||
    png.toString('latin1', 1, 4) !== 'PNG' ||
    png.toString('latin1', 12, 16) !== 'IHDR'
  ) {
    throw new Error('the screenshot is not a PNG');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Writes `data` to `path` atomically (temp file + rename), mode 0600, never through a symlink. */
function writeFileAtomic(path, data) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** A tool call whose text is returned; a tool error fails the demo with its text. */
async function call(server, name, args = {}) {
  const result = await server.client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${server.name}: ${name} failed: ${resultText(result)}`);
  return result;
}

const indent = (text) => text.replace(/^/gm, '      ');

/**
 * Our extension in headless Chromium, scanning the demo servers' ports: two clients each navigate
 * their own tab to the demo page, snapshot it, click its button (the page changes), and save a
 * screenshot to a PNG file.
 */
async function driveRealBrowser(executablePath, drivers, pairingCode) {
  const ports = servers.map((server) => server.port);
  const range = { start: Math.min(...ports), end: Math.max(...ports) };
  const page = await servePage();
  let browser;
  try {
    browser = await launchWithExtension({ executablePath, range, windowSize: { width: 1024, height: 640 } });
    say(
      `   Chromium ${executablePath} (headless), extension ${browser.extensionId}, scanning ${range.start}-${range.end}`,
    );
    await browser.pair(pairingCode);
    say(
      '   paired through the extension\'s options page: pasted the code in "Pairing code", pressed Pair, it says Paired',
    );
    const started = Date.now();
    await Promise.all(drivers.map((server) => waitForExtension(server.client, { timeoutMs: 20_000 })));
    say(
      `   the extension found ${drivers.map((server) => server.name).join(' and ')} in ${Date.now() - started} ms`,
    );
    for (const server of drivers) {
      say(`\n   -- ${server.name} (port ${server.port})`);
      const navigated = await call(server, 'browser_navigate', { url: page.url(server.name) });
      say(`   browser_navigate: ${resultText(navigated).replace(/\s*\n\s*/g, ' ')}`);
      const snapshot = resultText(await call(server, 'browser_snapshot'));
      say(`   browser_snapshot:\n${indent(snapshot)}`);
      const ref = /button "Say hello"[^\n]*?\[ref=([^\]\s]+)\]/.exec(snapshot)?.[1];
      if (!ref) throw new Error(`${server.name}: no ref for the "Say hello" button in the snapshot`);
      const clicked = await call(server, 'browser_click', { element: 'Say hello button', ref });
      say(`   browser_click ${ref}: ${resultText(clicked).replace(/\s*\n\s*/g, ' ')}`);
      const after = resultText(await call(server, 'browser_snapshot'));
      const status = /Hello, [^"]*/.exec(after)?.[0];
      if (!status?.includes(server.name))
        throw new Error(`${server.name}: the click did not change the page:\n${after}`);
      say(`   the page now says: ${status}`);
      const shot = await call(server, 'browser_screenshot');
      const image = shot.content.find((part) => part.type === 'image');
      if (!image) throw new Error(`${server.name}: browser_screenshot returned no image`);
      const png = Buffer.from(image.data, 'base64');
      const { width, height } = pngSize(png);
      const file = join(tmpdir(), `browser-mcp-demo-${server.name}.png`);
      writeFileAtomic(file, png);
      say(`   browser_screenshot: ${width}x${height} PNG, ${png.length} bytes, written to ${file}`);
    }
    say('\n   -- each client on its own tab (browser_tabs list)');
    for (const server of drivers) {
      const tabs = resultText(await call(server, 'browser_tabs', { action: 'list' }));
      say(`   ${server.name}:\n${indent(tabs)}`);
      const others = drivers.filter((other) => other !== server);
      if (!tabs.includes(server.name) || others.some((other) => tabs.includes(`client=${other.name}`))) {
        throw new Error(`${server.name} does not see exactly its own tab:\n${tabs}`);
      }
    }
  } finally {
    await browser?.close();
    await page.close();
  }
}

const servers = [];
let exitCode = 0;
try {
  step(`Starting five browser-mcp servers at once (registry ${registry}, ports ${ports})`);
  servers.push(
    ...(await Promise.all(['claude-desktop', 'cursor', 'claude-code', 'windsurf', 'zed'].map(startServer))),
  );
  for (const server of servers)
    say(`   ${server.name.padEnd(15)} -> port ${server.port} (pid ${server.transport.pid})`);
  const distinct = new Set(servers.map((server) => server.port)).size;
  say(`   ${distinct} distinct ports for ${servers.length} servers`);
  if (distinct !== servers.length) throw new Error('two servers share a port');

  step('browser-mcp instances');
  say(instancesTable());

  step("browser-mcp pair: the code a user pastes once in the extension's options");
  const pairingCode = pairingCodeFor(bin, pairingFile);
  say(
    `   ${pairingCode}   (secret in ${pairingFile}, mode 0600; servers and extension prove they know it, it never crosses the socket)`,
  );

  const chromium = findChromium();
  if (chromium) {
    step(
      `Our extension in headless Chromium drives a real page for ${servers[0].name} and ${servers[1].name}, each on its own tab`,
    );
    await driveRealBrowser(chromium, servers.slice(0, 2), pairingCode);
  } else {
    step('No Chromium found (CHROME_PATH, chromium, chromium-browser, google-chrome)');
    say(`   To see our extension drive a real page here, install one: ${INSTALL_HINT}`);
    step(
      `A stand-in extension connects to ${servers[0].name} (port ${servers[0].port}); the client calls browser_navigate`,
    );
    const extension = await connectExtension(servers[0].port, pairingCode);
    for (const url of ['https://example.com/', 'https://example.org/']) {
      const result = await servers[0].client.callTool({ name: 'browser_navigate', arguments: { url } });
      const text = result.content.map((part) => part.text ?? `[${part.type}]`).join(' ');
      say(`   MCP result${result.isError ? ' (error)' : ''}: ${text.replace(/\s*\n\s*/g, ' ')}`);
      if (result.isError) throw new Error(`the stand-in's reply was not understood: ${text}`);
    }
    extension.close();
  }

  const victim = servers[2];
  step(`kill -9 ${victim.name} (pid ${victim.transport.pid}, port ${victim.port}), then start a new server`);
  process.kill(victim.transport.pid, 'SIGKILL');
  await victim.client.close().catch(() => {});
  servers.splice(2, 1);
  const newcomer = await startServer('newcomer');
  servers.push(newcomer);
  say(
    `   newcomer -> port ${newcomer.port}${newcomer.port === victim.port ? ' (the dead server’s port, recovered at once)' : ''}`,
  );
  say(instancesTable());

  step('Shutting every client down (each server sees stdin close, releases its entry and exits)');
  await Promise.all(servers.splice(0).map((server) => server.client.close()));
  // The clients have closed the pipes; give the servers a moment to release and exit.
  for (let waited = 0; waited < 5000 && !instancesTable().startsWith('no live'); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  say(instancesTable());
  say(`   registry file: ${readFileSync(registry, 'utf8').replace(/\s+/g, ' ').trim()}`);
} catch (error) {
  exitCode = 1;
  process.stderr.write(`demo failed: ${error?.stack ?? error}\n`);
} finally {
  await Promise.all(servers.map((server) => server.client.close().catch(() => {})));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
