// Starting the two MCP servers the browser benches compare, on one local page server: ours
// (browser-mcp and our extension in headless Chromium) and @playwright/mcp on the same Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import {
  launchWithExtension,
  pairingCodeFor,
  resultText,
  waitForExtension,
} from '../apps/browser-extension/scripts/launch-chromium.mjs';
import { freeRange } from './free-ports.mjs';

const require = createRequire(import.meta.url);
const ourBin = join(dirname(require.resolve('@ports/browser-mcp/package.json')), 'bin', 'browser-mcp.js');
const playwrightCli = join(dirname(require.resolve('@playwright/mcp/package.json')), 'cli.js');

export const VIEWPORT = { width: 1280, height: 720 };

/** Starts an MCP server over stdio through the SDK's client, as an AI client would. */
async function connect(name, command, args, env = {}) {
  const transport = new StdioClientTransport({
    command,
    args,
    env: { ...getDefaultEnvironment(), ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const client = new Client({ name: `bench-${name}`, version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`${name} did not start: ${error.message}\n${stderr}`);
  }
  return client;
}

/** Calls a tool and returns its text, throwing with the text when the tool answered an error. */
export async function call(client, name, args = {}) {
  const result = await client.callTool({ name, arguments: args });
  const text = resultText(result);
  if (result.isError) throw new Error(`${name} failed: ${text.slice(0, 500)}`);
  return text;
}

/** Serves `pages` (path -> HTML) on 127.0.0.1; returns its base URL. Pushes its cleanup. */
export async function servePages(pages, cleanups) {
  const http = createHttpServer((request, response) => {
    const page = pages[(request.url ?? '/').split('?')[0]];
    response.writeHead(page === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page ?? 'not found');
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
  return `http://127.0.0.1:${http.address().port}`;
}

/**
 * Both contenders, each with its defaults: `{ name, client, clickArgs(ref) }`. Pushes every cleanup
 * (servers, browser, temp directory) onto `cleanups`.
 */
export async function startContenders(executablePath, cleanups, { extensionDir } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-browser-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const range = await freeRange(3);
  const ours = await connect(
    'browser-mcp',
    process.execPath,
    [ourBin, '--ports', `${range.start}-${range.end}`, '--registry', join(dir, 'registry.json')],
    { MCP_INSTANCE_ID: 'bench', BROWSER_MCP_PAIRING_FILE: join(dir, 'pairing.json') },
  );
  cleanups.push(() => ours.close());
  const browser = await launchWithExtension({
    executablePath,
    range,
    windowSize: VIEWPORT,
    // Paired as a user does, through the options page, with the bench's own secret.
    pairingCode: pairingCodeFor(ourBin, join(dir, 'pairing.json')),
    ...(extensionDir ? { extensionDir } : {}),
  });
  cleanups.push(() => browser.close());
  await waitForExtension(ours);
  // As root @playwright/mcp needs --no-sandbox; --isolated keeps its profile in memory.
  const theirs = await connect('@playwright/mcp', process.execPath, [
    playwrightCli,
    '--headless',
    '--executable-path',
    executablePath,
    '--no-sandbox',
    '--isolated',
    '--viewport-size',
    `${VIEWPORT.width}x${VIEWPORT.height}`,
    '--output-dir',
    join(dir, 'playwright-output'),
  ]);
  cleanups.push(() => theirs.close());
  return [
    { name: 'ours', client: ours, clickArgs: (ref, element) => ({ element, ref }) },
    { name: '@playwright/mcp', client: theirs, clickArgs: (ref, element) => ({ element, target: ref }) },
  ];
}
