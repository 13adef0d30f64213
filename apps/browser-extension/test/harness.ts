import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { LineBuffer } from '@ports/test-utils';
import { findChromium, launchWithExtension as launch, pairingCodeFor } from '../scripts/launch-chromium.mjs';

const require = createRequire(import.meta.url);

/** The built browser-mcp server's bin. */
export const serverBin = join(
  dirname(require.resolve('@ports/browser-mcp/package.json')),
  'bin',
  'browser-mcp.js',
);

export { findChromium };

/** A Chromium with our extension loaded, and its service worker. */
export type ExtensionBrowser = Awaited<ReturnType<typeof launch>>;

/**
 * The pairing secret file every server of this test process uses (set for the process by the
 * root vitest setup), so the extension pairs once with the code of it.
 */
export function testPairingFile(): string {
  const file = process.env.BROWSER_MCP_PAIRING_FILE;
  if (!file)
    throw new Error(
      'BROWSER_MCP_PAIRING_FILE is not set: run the tests through vitest (scripts/vitest-setup.ts)',
    );
  return file;
}

/** The pairing code of {@link testPairingFile}, made by the real `browser-mcp pair`. */
export function testPairingCode(): string {
  return pairingCodeFor(serverBin, testPairingFile());
}

/**
 * Launches Chromium headless with the built extension, scanning `range` (the demo's and bench's
 * launcher), and pairs it through its options page with the test servers' code, unless
 * `pair: false` (for tests of pairing itself).
 */
export function launchWithExtension(
  executablePath: string,
  range: { start: number; end: number },
  options: { readonly pair?: boolean } = {},
): Promise<ExtensionBrowser> {
  return launch({
    executablePath,
    range,
    ...(options.pair === false ? {} : { pairingCode: testPairingCode() }),
  });
}

/** A browser-mcp server started through a real MCP client. */
export interface McpServerProcess extends AsyncDisposable {
  readonly client: Client;
  readonly port: number;
  readonly pid: number;
  readonly stderr: LineBuffer;
  close(): Promise<void>;
}

/** Starts the built browser-mcp through the SDK's stdio client, as an AI client would; `args` are extra flags. */
export async function startMcpServer(
  range: { start: number; end: number },
  instanceId: string,
  registry: string,
  args: readonly string[] = [],
): Promise<McpServerProcess> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverBin, '--ports', `${range.start}-${range.end}`, ...args],
    env: {
      ...getDefaultEnvironment(),
      MCP_INSTANCE_ID: instanceId,
      BROWSER_MCP_REGISTRY: registry,
      BROWSER_MCP_PAIRING_FILE: testPairingFile(),
    },
    stderr: 'pipe',
  });
  const stderr = new LineBuffer(transport.stderr as Readable);
  const client = new Client({ name: `extension-test-${instanceId}`, version: '1.0.0' });
  const close = async (): Promise<void> => {
    await client.close().catch(() => {});
  };
  try {
    await client.connect(transport);
    const line = await stderr.waitFor(new RegExp(`listening on 127\\.0\\.0\\.1:(\\d+) as ${instanceId}`));
    const port = Number(/:(\d+) as /.exec(line)?.[1]);
    return { client, port, pid: transport.pid as number, stderr, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The text of a tool result. */
export function resultText(result: { content?: unknown }): string {
  return ((result.content ?? []) as { type: string; text?: string }[])
    .map((part) => part.text ?? '')
    .join('\n');
}

/** A local web server for test pages: `pages` maps a path to its HTML. */
export async function servePages(
  pages: Readonly<Record<string, string>>,
): Promise<{ url(path: string): string } & AsyncDisposable> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const page = pages[path];
    response.writeHead(page === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address() as { port: number };
  return {
    url: (path) => `http://127.0.0.1:${address.port}${path}`,
    [Symbol.asyncDispose]: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A registry file of the test's own in a temp directory removed at exit. */
export function tempRegistry(): string {
  const dir = mkdtempSync(join(tmpdir(), 'browser-extension-registry-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'registry.json');
}
