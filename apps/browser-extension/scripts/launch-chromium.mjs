// Launches a headless Chromium with our built extension loaded and scanning a port range of the
// caller's choice. Shared by `pnpm demo` (apps/browser-mcp/scripts/demo.mjs) and `pnpm bench`
// (bench/browser.bench.mjs); plain ESM so both import it without a build step. playwright-core is
// loaded only when a browser is launched, so finding one (or finding none) costs nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built extension (`pnpm --filter @ports/browser-extension build`), ready to load unpacked. */
export const extensionDir = fileURLToPath(new URL('../dist', import.meta.url));

/** The command that installs Chromium on Debian and Ubuntu, for messages to the user. */
export const INSTALL_HINT = 'sudo apt-get install chromium';

/** Names tried on PATH, in order, after `CHROME_PATH`. */
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];

/**
 * Where a Chromium is on this machine: `CHROME_PATH` when it names an existing file, else the first
 * of `chromium`, `chromium-browser`, `google-chrome` on PATH; undefined when there is none.
 *
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | undefined}
 */
export function findChromium(env = process.env) {
  if (env.CHROME_PATH && existsSync(env.CHROME_PATH)) return env.CHROME_PATH;
  for (const name of CANDIDATES) {
    try {
      const path = execFileSync('which', [name], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        env,
      }).trim();
      if (path) return path;
    } catch {
      // not on PATH: try the next name
    }
  }
  return undefined;
}

/**
 * Flags for a quiet headless Chromium on a machine with no network beyond loopback. Without
 * `--silent-debugger-extension-api` the "started debugging this browser" bar appears a moment after
 * the extension's first attach and shrinks every tab's viewport under the page.
 */
export const CHROMIUM_FLAGS = Object.freeze([
  '--headless=new',
  '--silent-debugger-extension-api',
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
]);

/**
 * @typedef {object} ExtensionBrowser
 * @property {import('playwright-core').BrowserContext} context The browser, one persistent context.
 * @property {string} extensionId Our extension's id (the host of its `chrome-extension://` URLs).
 * @property {() => Promise<import('playwright-core').Worker>} worker The extension's service worker
 *   as it is now (it changes when Chrome restarts it).
 * @property {(range: {start: number, end: number}) => Promise<void>} setPortRange Makes the
 *   extension scan `range` (what the options page stores); it rescans at once.
 * @property {(code: string) => Promise<void>} pair Pairs the extension as a user does: pastes
 *   `code` in the options page's "Pairing code" and presses Pair; resolves once it says Paired.
 * @property {() => Promise<void>} close Closes the browser and removes its profile directory.
 */

/**
 * Launches Chromium headless (`--headless=new`, the mode that runs extensions) with the extension
 * in `extensionDir` loaded unpacked, in a fresh profile of its own, and points the extension at
 * `range`. Call `close()` (or `await using`) to end the browser and remove the profile.
 *
 * @example
 * const browser = await launchWithExtension({ executablePath: findChromium(), range: { start: 41000, end: 41010 } });
 * try { ... } finally { await browser.close(); }
 *
 * With `pairingCode`, the extension is paired through its options page before this resolves (see
 * {@link pairingCodeFor} for the code of a pairing file).
 *
 * @param {{ executablePath: string, range: {start: number, end: number}, extensionDir?: string,
 *   args?: readonly string[], windowSize?: {width: number, height: number}, pairingCode?: string }} options
 * @returns {Promise<ExtensionBrowser & AsyncDisposable>}
 */
export async function launchWithExtension(options) {
  const { executablePath, range } = options;
  if (!executablePath) throw new TypeError('launchWithExtension: executablePath is required');
  const dir = options.extensionDir ?? extensionDir;
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw Object.assign(
      new Error(`No built extension in ${dir}: run \`pnpm --filter @ports/browser-extension build\` first.`),
      { code: 'ENOEXTENSIONBUILD' },
    );
  }
  const size = options.windowSize ?? { width: 1280, height: 720 };
  const userDataDir = mkdtempSync(join(tmpdir(), 'browser-extension-chromium-'));
  let context;
  // Playwright kills the browser on SIGINT and exits; the profile directory must go then too.
  const removeProfile = () => rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  process.once('exit', removeProfile);
  const close = async () => {
    await context?.close().catch(() => {});
    process.off('exit', removeProfile);
    removeProfile();
  };
  try {
    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: false, // --headless=new is in the flags: the old headless mode runs no extensions
      args: [
        ...CHROMIUM_FLAGS,
        `--window-size=${size.width},${size.height}`,
        `--disable-extensions-except=${dir}`,
        `--load-extension=${dir}`,
        ...(options.args ?? []),
      ],
      viewport: null,
    });
    const worker = async () => {
      const found = context.serviceWorkers().find((w) => w.url().endsWith('/background.js'));
      return found ?? (await context.waitForEvent('serviceworker', { timeout: 10_000 }));
    };
    const first = await worker();
    const extensionId = new URL(first.url()).host;
    const setPortRange = async (next) => {
      await (await worker()).evaluate((r) => chrome.storage.local.set({ portRange: r }), {
        start: next.start,
        end: next.end,
      });
    };
    await setPortRange(range);
    const pair = (code) => pairThroughOptionsPage(context, extensionId, code);
    if (options.pairingCode) await pair(options.pairingCode);
    return { context, extensionId, worker, setPortRange, pair, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Pairs the extension the way a user does: its options page, the "Pairing code" field, the Pair
 * button; resolves once the page says Paired, rejects with the page's message otherwise.
 *
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} extensionId
 * @param {string} code
 */
export async function pairThroughOptionsPage(context, extensionId, code) {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await page.getByLabel('Pairing code').fill(code);
    await page.getByRole('button', { name: 'Pair', exact: true }).click();
    // The page marks its answer: `ok` (stored) or `error` (nothing stored), never a stale state.
    const answered = page.locator('#pairing-message[data-kind="ok"], #pairing-message[data-kind="error"]');
    await answered.waitFor({ timeout: 10_000 });
    const refused = page.locator('#pairing-message[data-kind="error"]');
    if (await refused.count()) {
      throw Object.assign(new Error(`pairing failed: ${await refused.textContent()}`), {
        code: 'EPAIRFAILED',
      });
    }
  } finally {
    await page.close();
  }
}

/**
 * The pairing code of the secret in `pairingFile`, as `browser-mcp pair` prints it (its last line
 * of stdout); the secret is created when there is none.
 *
 * @param {string} serverBin The browser-mcp bin.
 * @param {string} pairingFile What `BROWSER_MCP_PAIRING_FILE` names for the servers.
 * @returns {string}
 */
export function pairingCodeFor(serverBin, pairingFile) {
  const stdout = execFileSync(process.execPath, [serverBin, 'pair'], {
    encoding: 'utf8',
    env: { ...process.env, BROWSER_MCP_PAIRING_FILE: pairingFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const code = stdout.trim().split('\n').at(-1);
  if (!code) throw new Error(`browser-mcp pair printed no code`);
  return code;
}

/** The text parts of an MCP tool result, joined by newlines. */
export function resultText(result) {
  return (result.content ?? []).map((part) => part.text ?? '').join('\n');
}

/**
 * Resolves once the extension is connected to the server behind `client`: polls a cheap tool call
 * (`browser_tabs` list) until it stops answering "No paired browser extension connected". Rejects after
 * `timeoutMs` with the last answer.
 *
 * @param {{ callTool(request: {name: string, arguments: object}): Promise<any> }} client
 * @param {{ timeoutMs?: number, intervalMs?: number }} [options]
 */
export async function waitForExtension(client, options = {}) {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await client.callTool({ name: 'browser_tabs', arguments: { action: 'list' } });
    const text = resultText(result);
    // The server waits --connect-timeout for a paired extension before it says there is none.
    if (!/No (paired )?browser extension (is )?connected/.test(text)) return;
    if (Date.now() > deadline) {
      throw Object.assign(new Error(`The extension did not connect within ${timeoutMs} ms: ${text}`), {
        code: 'EEXTENSIONTIMEOUT',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
