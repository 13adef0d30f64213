import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { LineBuffer } from '@ports/test-utils';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';

const require = createRequire(import.meta.url);

/** The built extension (`pnpm --filter @ports/browser-extension build`). */
export const extensionDir = fileURLToPath(new URL('../dist', import.meta.url));

/** The built browser-mcp server's bin. */
export const serverBin = join(
  dirname(require.resolve('@ports/browser-mcp/package.json')),
  'bin',
  'browser-mcp.js',
);

/**
 * Where a Chromium is on this machine: `CHROME_PATH`, else `chromium`, `chromium-browser` or
 * `google-chrome` on PATH; undefined when there is none.
 */
export function findChromium(): string | undefined {
  if (process.env.CHROME_PATH && existsSync(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const path = execFileSync('which', [name], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      if (path) return path;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Flags for a quiet headless Chromium on a machine with no network beyond loopback. */
export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

/** A Chromium with our extension loaded, and its service worker. */
export interface ExtensionBrowser extends AsyncDisposable {
  readonly context: BrowserContext;
  /** The extension's service worker as it is now (it changes when Chrome restarts it). */
  worker(): Promise<Worker>;
  readonly extensionId: string;
  close(): Promise<void>;
}

/** Launches Chromium headless with the built extension, scanning `range`. */
export async function launchWithExtension(
  executablePath: string,
  range: { start: number; end: number },
): Promise<ExtensionBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'browser-extension-test-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: false, // --headless=new below: the mode that runs extensions
    args: [
      ...CHROMIUM_FLAGS,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
    viewport: null,
  });
  const close = async (): Promise<void> => {
    await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    const worker = async (): Promise<Worker> => {
      const found = context.serviceWorkers().find((w) => w.url().endsWith('/background.js'));
      return found ?? (await context.waitForEvent('serviceworker', { timeout: 10_000 }));
    };
    const first = await worker();
    const extensionId = new URL(first.url()).host;
    await first.evaluate((r) => chrome.storage.local.set({ portRange: r }), range);
    return { context, worker, extensionId, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A browser-mcp server started through a real MCP client. */
export interface McpServerProcess extends AsyncDisposable {
  readonly client: Client;
  readonly port: number;
  readonly pid: number;
  readonly stderr: LineBuffer;
  close(): Promise<void>;
}

/** Starts the built browser-mcp through the SDK's stdio client, as an AI client would. */
export async function startMcpServer(
  range: { start: number; end: number },
  instanceId: string,
  registry: string,
): Promise<McpServerProcess> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverBin, '--ports', `${range.start}-${range.end}`],
    env: { ...getDefaultEnvironment(), MCP_INSTANCE_ID: instanceId, BROWSER_MCP_REGISTRY: registry },
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
