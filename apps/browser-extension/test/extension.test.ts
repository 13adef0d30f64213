import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { freePortRange } from '@ports/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connected, ok, refOf } from './client.js';
import {
  type ExtensionBrowser,
  findChromium,
  launchWithExtension,
  type McpServerProcess,
  servePages,
  startMcpServer,
  tempRegistry,
} from './harness.js';
import { manyButtonsPage, SECOND_PAGE, TEST_PAGE } from './pages.js';

const chromiumPath = findChromium();
const required = process.env.CI === 'true';
if (!chromiumPath && !required) {
  console.warn(
    'browser-extension tests skipped: no Chromium found (set CHROME_PATH, or apt-get install chromium)',
  );
}

describe.skipIf(!chromiumPath && !required)('our extension in Chromium, driven through browser-mcp', () => {
  let browser: ExtensionBrowser;
  let alpha: McpServerProcess;
  let beta: McpServerProcess;
  let range: { start: number; end: number };
  let pages: Awaited<ReturnType<typeof servePages>>;
  const registry = tempRegistry();

  beforeAll(async () => {
    range = await freePortRange(4);
    pages = await servePages({ '/': TEST_PAGE, '/second': SECOND_PAGE, '/many': manyButtonsPage(1_000) });
    // alpha is named by --name; beta gets the default label: its MCP client's name and the folder's.
    alpha = await startMcpServer(range, 'alpha', registry, ['--name', 'alpha']);
    beta = await startMcpServer(range, 'beta', registry);
    browser = await launchWithExtension(chromiumPath as string, range);
    await connected(alpha, 10_000);
    await connected(beta, 10_000);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([alpha?.close(), beta?.close()]);
    await browser?.close();
    await pages?.[Symbol.asyncDispose]();
  });

  it('navigates, snapshots, clicks, hovers, types, selects and presses keys on the page', async () => {
    const home = `${pages.url('/')}?who=alpha`;
    expect(await ok(alpha.client, 'browser_navigate', { url: home })).toBe(
      `- Page URL: ${home}\n- Page Title: Test page`,
    );
    let snapshot = await ok(alpha.client, 'browser_snapshot');
    expect(snapshot).toContain('- heading "Start" [level=1]');

    await ok(alpha.client, 'browser_click', {
      element: 'Press me',
      ref: refOf(snapshot, /button "Press me"/),
    });
    snapshot = await ok(alpha.client, 'browser_snapshot');
    expect(snapshot).toContain('- heading "Clicked" [level=1]');

    await ok(alpha.client, 'browser_hover', {
      element: 'Hover me',
      ref: refOf(snapshot, /button "Hover me"/),
    });
    await ok(alpha.client, 'browser_type', {
      element: 'Query',
      ref: refOf(snapshot, /textbox "Query"/),
      text: 'ports rock',
      submit: true,
    });
    await ok(alpha.client, 'browser_select_option', {
      element: 'Colour',
      ref: refOf(snapshot, /combobox "Colour"/),
      values: ['Green'],
    });
    await ok(alpha.client, 'browser_click', { element: 'Keys', ref: refOf(snapshot, /textbox "Keys"/) });
    for (const key of ['a', 'ArrowDown', 'Enter', 'Control+a'])
      await ok(alpha.client, 'browser_press_key', { key });

    snapshot = await ok(alpha.client, 'browser_snapshot');
    expect(snapshot).toContain('Hovered');
    expect(snapshot).toContain('Submitted ports rock');
    expect(snapshot).toContain('Chose g');
    expect(snapshot).toContain('Keys: a ArrowDown Enter Control+a');
    // The elements behind refs live in our isolated world: the page's own scripts do not see them.
    const tab = browser.context.pages().find((p) => p.url().includes('who=alpha'));
    expect(await tab?.evaluate(() => '__browserMcpRefs' in globalThis)).toBe(false);
  });

  it('reports a dialog the page opens in the action’s reply, and it stays open until answered', async () => {
    // Playwright, attached to every page for the test's own use, dismisses dialogs nobody listens
    // for, racing the extension; a listener that does nothing leaves the dialog to the extension.
    const tab = browser.context.pages().find((p) => p.url().includes('who=alpha'));
    tab?.on('dialog', () => {});
    const snapshot = await ok(alpha.client, 'browser_snapshot');
    expect(
      await ok(alpha.client, 'browser_click', { element: 'Ask me', ref: refOf(snapshot, /button "Ask me"/) }),
    ).toContain('A confirm dialog opened: "Sure?"');
    expect(await ok(alpha.client, 'browser_handle_dialog', { accept: true })).toContain(
      'Accepted the confirm dialog',
    );
    expect(await ok(alpha.client, 'browser_wait_for', { text: 'Confirmed' })).toContain('is on the page');
    expect(await ok(alpha.client, 'browser_get_console_logs')).toContain('[dialog] confirm: Sure?');
  });

  it('returns the page’s own console messages and uncaught errors', async () => {
    const logs = await ok(alpha.client, 'browser_get_console_logs');
    expect(logs).toContain('[log] page says hi {"n":1}');
    expect(logs).toMatch(/\[error\] Uncaught Error: kaboom/);
  });

  it('takes a PNG screenshot the size of the viewport', async () => {
    const result = await call(alpha.client, 'browser_screenshot');
    expect(result.isError, result.text).toBe(false);
    const [image] = result.content as { type: string; data: string; mimeType: string }[];
    expect(image?.type).toBe('image');
    expect(image?.mimeType).toBe('image/png');
    const png = Buffer.from(image?.data ?? '', 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const page = browser.context.pages().find((p) => p.url().includes('who=alpha'));
    const viewport = await page?.evaluate(() => ({
      width: Math.round(innerWidth * devicePixelRatio),
      height: Math.round(innerHeight * devicePixelRatio),
    }));
    expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual(viewport);
  });

  it('goes to another page and back and forward', async () => {
    const snapshot = await ok(alpha.client, 'browser_snapshot');
    await ok(alpha.client, 'browser_click', {
      element: 'Second page',
      ref: refOf(snapshot, /link "Second page"/),
    });
    expect(await ok(alpha.client, 'browser_wait_for', { text: 'Second page' })).toContain('is on the page');
    expect(await ok(alpha.client, 'browser_go_back')).toContain('Page Title: Test page');
    expect(await ok(alpha.client, 'browser_go_forward')).toContain('Page Title: Second');
    expect(await ok(alpha.client, 'browser_go_back')).toContain('Page Title: Test page');
  });

  it('waits for text to appear and to disappear, and for a time', async () => {
    const snapshot = await ok(alpha.client, 'browser_snapshot');
    await ok(alpha.client, 'browser_click', { element: 'Later', ref: refOf(snapshot, /button "Later"/) });
    expect(await ok(alpha.client, 'browser_wait_for', { text: 'Arrived late' })).toContain('is on the page');
    expect(await ok(alpha.client, 'browser_wait_for', { textGone: 'Not there at all' })).toContain('is gone');
    expect(await ok(alpha.client, 'browser_wait_for', { time: 0.2 })).toContain('Waited 0.2 s');
    const missing = await call(alpha.client, 'browser_wait_for', { text: 'Never shown', time: 0.5 });
    expect(missing.isError).toBe(true);
  });

  it('keeps each instance on its own tabs', async () => {
    const home = `${pages.url('/')}?who=beta`;
    await ok(beta.client, 'browser_navigate', { url: home });
    expect(await ok(beta.client, 'browser_snapshot')).toContain('- heading "Start" [level=1]');
    const alphaTabs = await ok(alpha.client, 'browser_tabs', { action: 'list' });
    const betaTabs = await ok(beta.client, 'browser_tabs', { action: 'list' });
    expect(alphaTabs).toContain('who=alpha');
    expect(alphaTabs).not.toContain('who=beta');
    expect(betaTabs).toContain('who=beta');
    expect(betaTabs).not.toContain('who=alpha');
    const worker = await browser.worker();
    const groups = await worker.evaluate(async () =>
      (await chrome.tabGroups.query({})).map((g) => g.title).sort(),
    );
    // Tab groups carry the labels people know, not instance ids.
    expect(groups).toEqual(['alpha', `extension-test-beta · ${basename(process.cwd())}`]);

    const opened = await ok(beta.client, 'browser_tabs', { action: 'new', url: pages.url('/second') });
    expect(opened).toMatch(/- 0: Test page .*who=beta/);
    expect(opened).toMatch(/- 1: Second .*\[active\]/);
    expect(await ok(beta.client, 'browser_snapshot')).toContain('Second page');
    await ok(beta.client, 'browser_tabs', { action: 'select', index: 0 });
    expect(await ok(beta.client, 'browser_snapshot')).toContain('- heading "Start"');
    const closed = await ok(beta.client, 'browser_tabs', { action: 'close', index: 1 });
    expect(closed).not.toContain('Second');
    expect(await ok(alpha.client, 'browser_tabs', { action: 'list' })).not.toContain('who=beta');
    const outOfRange = await call(beta.client, 'browser_tabs', { action: 'select', index: 5 });
    expect(outOfRange.isError).toBe(true);
  });

  it('says clearly when a ref is stale, an element has no box, or a page is chrome://', async () => {
    const first = await ok(alpha.client, 'browser_snapshot');
    const oldRef = refOf(first, /button "Press me"/);
    await ok(alpha.client, 'browser_snapshot');
    const stale = await call(alpha.client, 'browser_click', { element: 'Press me', ref: oldRef });
    expect(stale.isError).toBe(true);
    expect(stale.text).toContain('older snapshot');
    expect(stale.text).toContain('take a new browser_snapshot'.replace('take', 'Take'));

    const current = await ok(alpha.client, 'browser_snapshot');
    const removable = refOf(current, /button "Remove me"/);
    await ok(alpha.client, 'browser_click', { element: 'Remove me', ref: removable });
    const gone = await call(alpha.client, 'browser_click', { element: 'Remove me', ref: removable });
    expect(gone.isError).toBe(true);
    expect(gone.text).toContain('Remove me has no box on the page');

    const chrome = await call(alpha.client, 'browser_navigate', { url: 'chrome://version' });
    expect(chrome.isError).toBe(true);
    expect(chrome.text).toContain('Chrome does not let extensions control chrome:// pages');
  });

  it('navigates away from a chrome:// page the tab was sent to', async () => {
    const listed = await ok(alpha.client, 'browser_tabs', { action: 'list' });
    const url = /\[active\]/.test(listed) ? /- \d+: .* \((.*)\) \[active\]/.exec(listed)?.[1] : undefined;
    const worker = await browser.worker();
    await worker.evaluate(async (current) => {
      const [tab] = await chrome.tabs.query({ url: current });
      await chrome.tabs.update(tab?.id as number, { url: 'chrome://version/' });
    }, url as string);
    await expect
      .poll(() => browser.context.pages().some((p) => p.url().startsWith('chrome://version')))
      .toBe(true);
    const refused = await call(alpha.client, 'browser_snapshot');
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('chrome:// pages');
    expect(await ok(alpha.client, 'browser_navigate', { url: `${pages.url('/')}?who=alpha` })).toContain(
      'Test page',
    );
    expect(await ok(alpha.client, 'browser_snapshot')).toContain('- heading "Start"');
  });

  it('snapshots a page of 1,000 buttons with refs that all resolve', async () => {
    await ok(alpha.client, 'browser_navigate', { url: pages.url('/many') });
    const snapshot = await ok(alpha.client, 'browser_snapshot');
    const refs = [...snapshot.matchAll(/button "Button (\d+)" \[ref=(s\d+e\d+)\]/g)];
    expect(refs).toHaveLength(1_000);
    // Every ref of the one snapshot resolves (a click does not change the tree), the last one included.
    for (const index of [0, 499, 999]) {
      const [, label, ref] = refs[index] as RegExpMatchArray;
      await ok(alpha.client, 'browser_click', { element: `Button ${label}`, ref });
      expect(await ok(alpha.client, 'browser_wait_for', { text: `clicked ${label}` })).toContain(
        'is on the page',
      );
    }
  });

  it('replaces a closed tab at the next command', async () => {
    const listed = await ok(alpha.client, 'browser_tabs', { action: 'list' });
    const url = /- 0: .* \((.*)\) \[active\]/.exec(listed)?.[1];
    const tab = browser.context.pages().find((p) => p.url() === url);
    expect(tab).toBeDefined();
    await tab?.close();
    expect(await ok(alpha.client, 'browser_tabs', { action: 'list' })).toContain('no tabs yet');
    await ok(alpha.client, 'browser_navigate', { url: `${pages.url('/')}?who=alpha` });
    expect(await ok(alpha.client, 'browser_tabs', { action: 'list' })).toMatch(
      /- 0: Test page .*who=alpha.*\[active\]/,
    );
  });

  it('hands the current tab to an instance from the popup', async () => {
    const other = await browser.context.newPage();
    await other.goto(`${pages.url('/second')}?adopted`);
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.evaluate(
      async (url) => {
        const [tab] = await chrome.tabs.query({ url });
        await chrome.runtime.sendMessage({ type: 'useTab', instanceId: 'alpha', tabId: tab?.id });
      },
      `${pages.url('/second')}?adopted`,
    );
    await popup.close();
    expect(await ok(alpha.client, 'browser_snapshot')).toContain('Second page');
    expect(await ok(alpha.client, 'browser_tabs', { action: 'list' })).toMatch(
      /- 1: Second .*adopted.*\[active\]/,
    );
    expect(await ok(beta.client, 'browser_tabs', { action: 'list' })).not.toContain('adopted');
    await ok(alpha.client, 'browser_tabs', { action: 'select', index: 0 });
  });

  it('connects to a new server within 5 s after one is killed with SIGKILL, and detaches from the old one’s tab', async () => {
    process.kill(beta.pid, 'SIGKILL');
    await beta.close();
    const worker = await browser.worker();
    // Attaching again succeeds only once our earlier session on beta's tab is gone.
    const attachable = () =>
      worker.evaluate(async () => {
        const [tab] = await chrome.tabs
          .query({ url: '*://127.0.0.1/*' })
          .then((tabs) => tabs.filter((t) => t.url?.includes('who=beta')));
        try {
          await chrome.debugger.attach({ tabId: tab?.id as number }, '1.3');
          await chrome.debugger.detach({ tabId: tab?.id as number });
          return true;
        } catch {
          return false;
        }
      });
    await expect.poll(attachable, { timeout: 5_000 }).toBe(true);
    beta = await startMcpServer(range, 'beta-2', registry, ['--connect-timeout', '1000']);
    const ms = await connected(beta, 5_000);
    expect(ms).toBeLessThan(5_000);
    await ok(beta.client, 'browser_navigate', { url: `${pages.url('/')}?who=beta-2` });
  });

  it('works again within 5 s after Chrome stops the service worker', async () => {
    const before = await ok(alpha.client, 'browser_snapshot');
    const oldRef = refOf(before, /button/);
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
    const registration = internals.locator('.serviceworker-registration', {
      hasText: `chrome-extension://${browser.extensionId}/`,
    });
    const stoppedAt = Date.now();
    await registration.locator('cr-button[data-command="stop"]').first().click();
    // A new worker, not the old one still running: it stamps its own start.
    await expect.poll(startedAt, { timeout: 5_000, interval: 20 }).not.toBe(first);
    await Promise.all([internals.close(), popup.close()]);
    await connected(alpha, 5_000 - (Date.now() - stoppedAt));
    const ms = Date.now() - stoppedAt;
    if (process.env.TIMING) console.log('TIMING working again after', ms);
    expect(ms).toBeLessThan(5_000);
    expect(
      await ok(alpha.client, 'browser_navigate', { url: `${pages.url('/')}?who=alpha-again` }),
    ).toContain('Test page');
    expect(await ok(alpha.client, 'browser_snapshot')).toContain('- heading "Start"');
    // Refs count on across the restart: one from before it is stale, never another element's.
    const after = await ok(alpha.client, 'browser_snapshot');
    const generation = (snapshot: string) => Number(/\[ref=s(\d+)e\d+\]/.exec(snapshot)?.[1]);
    expect(generation(after)).toBeGreaterThan(generation(before));
    const stale = await call(alpha.client, 'browser_click', { element: 'old', ref: oldRef });
    expect(stale.isError).toBe(true);
    expect(stale.text).toContain('older snapshot');
  });

  it('disconnects and reconnects a server from the popup', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    const row = popup.locator('li.server', { hasText: 'beta-2' });
    await row.getByRole('button', { name: 'Disconnect' }).click();
    await expect
      .poll(async () => (await call(beta.client, 'browser_tabs', { action: 'list' })).text, {
        timeout: 5_000,
      })
      .toContain('No paired browser extension connected');
    await popup.locator('li.server.disconnected').getByRole('button', { name: 'Connect' }).click();
    await connected(beta, 5_000);
    await popup.close();
  });

  it('scans the range the options page saves', async () => {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await expect.poll(() => options.inputValue('#start')).toBe(String(range.start));
    await options.fill('#start', '9000');
    await options.fill('#end', '8000');
    await options.click('#form button[type="submit"]');
    expect(await options.textContent('#message')).toContain('must not be above');
    await options.fill('#start', String(range.start));
    await options.fill('#end', String(range.end + 1));
    await options.click('#form button[type="submit"]');
    await expect
      .poll(() => options.textContent('#message'))
      .toContain(`now scans ${range.start}–${range.end + 1}`);
    const worker = await browser.worker();
    expect(await worker.evaluate(() => chrome.storage.local.get('portRange'))).toEqual({
      portRange: { start: range.start, end: range.end + 1 },
    });
    await options.close();
    await connected(alpha, 5_000);
  });

  it('shows every server in the popup', async () => {
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 384, height: 300 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.waitForSelector('li.server.connected');
    const text = (await popup.locator('#servers').textContent()) ?? '';
    expect(text).toContain(String(alpha.port));
    expect(text).toContain('alpha');
    expect(text).toContain('beta-2');
    const picture = process.env.UPDATE_POPUP_PICTURE
      ? new URL('../docs/popup.png', import.meta.url).pathname
      : join(tmpdir(), `browser-extension-popup-${process.pid}.png`);
    writeFileSync(picture, await popup.screenshot());

    // With no server in the range, it says so and names the one line that fixes it.
    const worker = await browser.worker();
    const empty = await freePortRange(2);
    await worker.evaluate((r) => chrome.storage.local.set({ portRange: r }), empty);
    await popup.reload();
    await expect
      .poll(async () => (await popup.locator('#empty').isVisible()) && (await popup.textContent('#empty')))
      .toContain(`no browser-mcp server found on ${empty.start}–${empty.end}`);
    expect(await popup.textContent('#empty')).toContain('npx -y @ports/browser-mcp');
    await worker.evaluate((r) => chrome.storage.local.set({ portRange: r }), range);
    await popup.close();
  });
});
