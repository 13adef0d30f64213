import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePortRange } from '@ports/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connected, ok, refOf } from './client.js';
import { serveFramePages } from './frame-pages.js';
import {
  type ExtensionBrowser,
  findChromium,
  launchWithExtension,
  type McpServerProcess,
  startMcpServer,
  tempRegistry,
} from './harness.js';

const chromiumPath = findChromium();
const required = process.env.CI === 'true';

const client = (server: McpServerProcess) => server.client;

describe.skipIf(!chromiumPath && !required)(
  'iframes, change reports, network and console, in Chromium',
  () => {
    let browser: ExtensionBrowser;
    let server: McpServerProcess;
    let pages: Awaited<ReturnType<typeof serveFramePages>>;
    const registry = tempRegistry();

    beforeAll(async () => {
      const range = await freePortRange(2);
      pages = await serveFramePages();
      server = await startMcpServer(range, 'frames', registry);
      browser = await launchWithExtension(chromiumPath as string, range);
      await connected(server, 10_000);
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await browser?.close();
      await pages?.[Symbol.asyncDispose]();
    });

    it('shows same-origin and cross-origin iframes as frames, with refs that work in every tool', async () => {
      await ok(server.client, 'browser_navigate', { url: pages.url('/frames') });
      const snapshot = await ok(server.client, 'browser_snapshot');
      expect(snapshot).toMatch(
        /- iframe "Same origin frame" \[ref=s\d+e\d+\]\n\s+- text: Same not clicked\n\s+- button "Same button" \[ref=s\d+e\d+\]/,
      );
      expect(snapshot).toMatch(
        /- iframe "Cross origin frame" \[ref=s\d+e\d+\]\n\s+- text: Cross not clicked\n\s+- button "Cross button" \[ref=s\d+f\d+e\d+\]/,
      );
      // The cross-origin frame really is in another process: Chromium lists it as a target of its own.
      const tab = browser.context.pages().find((p) => p.url() === pages.url('/frames'));
      const cdp = await browser.context.newCDPSession(tab as NonNullable<typeof tab>);
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { type: string; url: string }[];
      };
      await cdp.detach();
      expect(targetInfos.filter((t) => t.type === 'iframe').map((t) => t.url)).toEqual([
        pages.url('/inner-cross', 'localhost'),
      ]);

      await ok(server.client, 'browser_click', {
        element: 'Same button',
        ref: refOf(snapshot, /button "Same button"/),
      });
      await ok(server.client, 'browser_click', {
        element: 'Cross button',
        ref: refOf(snapshot, /button "Cross button"/),
      });
      await ok(server.client, 'browser_type', {
        element: 'Cross field',
        ref: refOf(snapshot, /textbox "Cross field"/),
        text: 'hello',
      });
      // Input to a frame of another process is routed there after Chrome acknowledges it: look again until it shows.
      const shows = (text: string) =>
        expect.poll(() => ok(server.client, 'browser_snapshot'), { timeout: 5_000 }).toContain(text);
      await shows('- text: Cross typed hello');
      // browser_wait_for reads the text of frames, same-origin and of other sites.
      await ok(server.client, 'browser_wait_for', { text: 'Same clicked' });
      await ok(server.client, 'browser_wait_for', { text: 'Cross typed hello' });
      let after = await ok(server.client, 'browser_snapshot');
      expect(after).toContain('- heading "Same frame clicked" [level=1]');
      expect(after).toContain('- text: Same clicked');
      // Typing, an option, a form and an HTML5 drag in the same-origin frame.
      await ok(server.client, 'browser_type', {
        element: 'Same field',
        ref: refOf(after, /textbox "Same field"/),
        text: 'hi',
      });
      await ok(server.client, 'browser_wait_for', { text: 'Same typed hi' });
      after = await ok(server.client, 'browser_snapshot');
      await ok(server.client, 'browser_select_option', {
        element: 'Same size',
        ref: refOf(after, /combobox "Same size"/),
        values: ['Large'],
      });
      await ok(server.client, 'browser_wait_for', { text: 'Same chose l' });
      await ok(server.client, 'browser_fill_form', {
        fields: [
          { name: 'Same field', type: 'textbox', ref: refOf(after, /textbox "Same field"/), value: 'form' },
        ],
      });
      await ok(server.client, 'browser_wait_for', { text: 'Same typed form' });
      after = await ok(server.client, 'browser_snapshot');
      await ok(server.client, 'browser_drag', {
        startElement: 'Same card',
        startRef: refOf(after, /"Same card"/),
        endElement: 'Same zone',
        endRef: refOf(after, /"Same zone"/),
      });
      await ok(server.client, 'browser_wait_for', { text: 'Same dropped' });
      after = await ok(server.client, 'browser_snapshot');
      await ok(server.client, 'browser_hover', {
        element: 'Same hover',
        ref: refOf(after, /button "Same hover"/),
      });
      await ok(server.client, 'browser_wait_for', { text: 'Same hovered' });
      expect(
        await ok(server.client, 'browser_evaluate', {
          function: '(element) => element.ownerDocument.title',
          element: 'Same hover',
          ref: refOf(after, /button "Same hover"/),
        }),
      ).toContain('"Inner same"');
      const sameShot = await client(server).callTool({
        name: 'browser_screenshot',
        arguments: { element: 'Same zone', ref: refOf(after, /"Same zone"/) },
      });
      expect((sameShot.content as { type: string }[])[0]?.type).toBe('image');
      after = await ok(server.client, 'browser_snapshot');
      await ok(server.client, 'browser_select_option', {
        element: 'Cross size',
        ref: refOf(after, /combobox "Cross size"/),
        values: ['Large'],
      });
      await shows('- text: Cross chose l');
      after = await ok(server.client, 'browser_snapshot');
      await ok(server.client, 'browser_hover', {
        element: 'Cross hover',
        ref: refOf(after, /button "Cross hover"/),
      });
      await shows('- text: Cross hovered');
      // fill_form, evaluate, drags and an element screenshot in the frame of another process.
      after = await ok(server.client, 'browser_snapshot');
      await ok(server.client, 'browser_fill_form', {
        fields: [
          {
            name: 'Cross field',
            type: 'textbox',
            ref: refOf(after, /textbox "Cross field"/),
            value: 'filled',
          },
          {
            name: 'Cross agree',
            type: 'checkbox',
            ref: refOf(after, /checkbox "Cross agree"/),
            value: 'true',
          },
        ],
      });
      await shows('- text: Cross checked true');
      expect(await ok(server.client, 'browser_snapshot')).toContain('textbox "Cross field" [value="filled"]');
      after = await ok(server.client, 'browser_snapshot');
      expect(
        await ok(server.client, 'browser_evaluate', {
          function: '(element) => element.textContent + " in " + location.hostname',
          element: 'Cross button',
          ref: refOf(after, /button "Cross button"/),
        }),
      ).toContain('"Cross button in localhost"');
      // An HTML5 drag inside a frame of another process: the page sees the drop.
      await ok(server.client, 'browser_drag', {
        startElement: 'Cross card',
        startRef: refOf(after, /"Cross card"/),
        endElement: 'Cross zone',
        endRef: refOf(after, /"Cross zone"/),
      });
      await shows('- text: Cross dropped');
      after = await ok(server.client, 'browser_snapshot');
      const shot = await client(server).callTool({
        name: 'browser_screenshot',
        arguments: { element: 'Cross zone', ref: refOf(after, /"Cross zone"/) },
      });
      const [image] = shot.content as { type: string; data: string }[];
      expect(image?.type, JSON.stringify(shot.content).slice(0, 300)).toBe('image');
      const png = Buffer.from(image?.data ?? '', 'base64');
      // The zone's own box, 120 × 40 CSS pixels (scaled by the device pixel ratio).
      const ratio = await tab?.evaluate(() => devicePixelRatio);
      expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({
        width: Math.round(120 * (ratio ?? 1)),
        height: Math.round(40 * (ratio ?? 1)),
      });
      // The part of the page under a frame is the frame's own content.
      after = await ok(server.client, 'browser_snapshot');
      const part = await ok(server.client, 'browser_snapshot', {
        ref: refOf(after, /iframe "Cross origin frame"/),
      });
      expect(part).toContain('- button "Cross button"');
      expect(part).not.toContain('Same button');
    });

    // Chrome may hold each move of a held mouse in a frame of another process of a background tab
    // until it gives up waiting for a frame the hidden tab never draws (up to about a second each).
    it('drags with the mouse alone inside a frame of another site', async () => {
      await ok(server.client, 'browser_navigate', { url: pages.url('/frames') });
      const snapshot = await ok(server.client, 'browser_snapshot');
      // A slider's handle: pressed on it, moved in steps, let go on the zone.
      await ok(server.client, 'browser_drag', {
        startElement: 'Cross handle',
        startRef: refOf(snapshot, /slider "Cross handle"/),
        endElement: 'Cross zone',
        endRef: refOf(snapshot, /"Cross zone"/),
      });
      await ok(server.client, 'browser_wait_for', { text: 'Cross slid onto Cross zone in steps' });
    }, 60_000);

    it('says in an action’s reply what changed, and nothing when nothing did', async () => {
      await ok(server.client, 'browser_navigate', { url: pages.url('/changes') });
      let snapshot = await ok(server.client, 'browser_snapshot');
      const click = (name: string, kind = 'button') =>
        ok(server.client, 'browser_click', {
          element: name,
          ref: refOf(snapshot, new RegExp(`${kind} "${name}"`)),
        });

      expect(await click('Nothing')).toBe('Clicked Nothing');
      expect(await click('Retitle')).toBe('Clicked Retitle\n- Page Title: Retitled');
      expect(await click('Push state')).toBe(
        `Clicked Push state\n- Page URL: ${pages.url('/changes?pushed')}`,
      );
      expect(await click('Fail')).toBe(
        'Clicked Fail\n- Console error: bad thing 42\n- Console error: Uncaught Error: boom',
      );
      expect(await click('Download CSV', 'link')).toBe(
        `Clicked Download CSV\n- Download started: report.csv (${pages.url('/download.csv')})`,
      );
      const tab = browser.context.pages().find((p) => p.url().startsWith(pages.url('/changes')));
      tab?.on('dialog', () => {}); // leave the dialog to the extension, not Playwright's auto-dismiss
      expect(await click('Alert')).toBe(
        'Clicked Alert\nAn alert dialog opened: "Hello there". It blocks the page until you answer it with browser_handle_dialog.',
      );
      expect(await ok(server.client, 'browser_handle_dialog', { accept: true })).toMatch(
        /^Accepted the alert dialog "Hello there"[^\n]*$/,
      );

      // Tabs the page opens join the instance's tabs and its tab group; the active tab stays.
      expect(await click('Open popup')).toBe(`Clicked Open popup\n- Tab opened: 1 ${pages.url('/popup')}`);
      expect(await click('Blank link', 'link')).toBe(
        `Clicked Blank link\n- Tab opened: 2 ${pages.url('/popup')}`,
      );
      const listed = await ok(server.client, 'browser_tabs', { action: 'list' });
      expect(listed).toMatch(/- 0: Retitled .*\[active\]\n- 1: .*\/popup\)\n- 2: .*\/popup\)$/);
      const worker = await browser.worker();
      const groups = await worker.evaluate(async (url) => {
        const tabs = await chrome.tabs.query({});
        // A tab still loading has only its pending URL.
        return tabs.filter((t) => (t.url || t.pendingUrl || '').startsWith(url)).map((t) => t.groupId);
      }, pages.url('/'));
      expect(groups).toHaveLength(3);
      expect(new Set(groups).size).toBe(1);
      expect(groups[0]).not.toBe(-1);

      // A page that closes its own tab.
      await ok(server.client, 'browser_tabs', { action: 'select', index: 1 });
      snapshot = await ok(server.client, 'browser_snapshot');
      expect(await click('Close me')).toBe(`Clicked Close me\n- Tab closed: 1 ${pages.url('/popup')}`);
      await ok(server.client, 'browser_tabs', { action: 'select', index: 0 });

      // A navigation, with a snapshot asked for.
      snapshot = await ok(server.client, 'browser_snapshot');
      const next = await ok(server.client, 'browser_click', {
        element: 'Next page',
        ref: refOf(snapshot, /link "Next page"/),
        snapshot: true,
      });
      expect(next).toBe(
        `Clicked Next page\n- Page URL: ${pages.url('/second-changes')}\n- Page Title: Second changes\n` +
          `- Page URL: ${pages.url('/second-changes')}\n- Page Title: Second changes\n- heading "Second" [level=1]`,
      );
      expect(await ok(server.client, 'browser_go_back')).toBe(
        `- Page URL: ${pages.url('/changes?pushed')}\n- Page Title: Changes`,
      );
    });

    it('hears a frame of another site: its console, requests, dialogs, file choosers and downloads', async () => {
      await ok(server.client, 'browser_navigate', { url: pages.url('/frame-events') });
      const frameUrl = (path: string) => pages.url(path, 'localhost');
      // What the frame did while it loaded is heard too (it waits for us before it runs).
      await expect
        .poll(() => ok(server.client, 'browser_get_console_logs'), { timeout: 5_000 })
        .toContain('frame loaded');
      await expect
        .poll(() => ok(server.client, 'browser_network_requests', { static: true }), { timeout: 5_000 })
        .toContain(`GET ${frameUrl('/logo.png')} => 200 (Image)`);
      // The frame's text shows in snapshots (browser_wait_for reads the top document's).
      const shows = (text: string) =>
        expect.poll(() => ok(server.client, 'browser_snapshot'), { timeout: 5_000 }).toContain(text);
      const click = async (name: string, kind = 'button') => {
        const snapshot = await ok(server.client, 'browser_snapshot');
        return ok(server.client, 'browser_click', {
          element: name,
          ref: refOf(snapshot, new RegExp(`${kind} "${name}"`)),
        });
      };

      expect(await click('Frame fetch')).toBe('Clicked Frame fetch\n- Console error: frame says no');
      // browser_wait_for reads frames of other sites too.
      await ok(server.client, 'browser_wait_for', { text: 'Frame got 3' });
      const [fetched] = (await ok(server.client, 'browser_network_requests', { filter: 'from=frame' })).split(
        '\n',
      );
      expect(fetched).toMatch(
        /^\[\d+\] POST http:\/\/localhost:\d+\/api\/items\?from=frame => 201 \(Fetch\)$/,
      );
      const detail = await ok(server.client, 'browser_network_request', {
        index: Number(/^\[(\d+)\]/.exec(fetched ?? '')?.[1]),
      });
      expect(detail).toContain('Request body:\n{"from":"frame"}');
      expect(detail).toContain('"items":[1,2,3]');
      expect(await ok(server.client, 'browser_get_console_logs', { level: 'error' })).toContain(
        'frame says no',
      );

      const tab = browser.context.pages().find((p) => p.url() === pages.url('/frame-events'));
      tab?.on('dialog', () => {}); // leave the dialog to the extension, not Playwright's auto-dismiss
      expect(await click('Frame alert')).toBe(
        'Clicked Frame alert\nAn alert dialog opened: "From the frame". It blocks the page until you answer it with browser_handle_dialog.',
      );
      expect(await ok(server.client, 'browser_handle_dialog', { accept: true })).toMatch(
        /^Accepted the alert dialog "From the frame"/,
      );
      await shows('Frame alerted');

      expect(await click('Frame file')).toContain('A file chooser opened');
      const files = mkdtempSync(join(tmpdir(), 'frame-upload-'));
      try {
        writeFileSync(join(files, 'from-frame.txt'), 'hello\n');
        await ok(server.client, 'browser_file_upload', { paths: [join(files, 'from-frame.txt')] });
        await shows('Frame file from-frame.txt');
      } finally {
        rmSync(files, { recursive: true, force: true });
      }

      expect(await click('Frame download', 'link')).toBe(
        `Clicked Frame download\n- Download started: report.csv (${frameUrl('/download.csv')})`,
      );
    });

    it('lets a page’s worker run (it waits for us as frames do), and hears its console and requests', async () => {
      await ok(server.client, 'browser_navigate', { url: pages.url('/worker') });
      await ok(server.client, 'browser_wait_for', { text: 'Worker ready' });
      expect(await ok(server.client, 'browser_get_console_logs')).toContain('from the worker');
      expect(await ok(server.client, 'browser_network_requests', { filter: 'from=worker' })).toMatch(
        /^\[\d+\] GET .*\/api\/items\?from=worker => 201 \(Fetch\)$/,
      );
    });

    it('filters the console by level', async () => {
      await ok(server.client, 'browser_navigate', { url: pages.url('/changes') });
      const snapshot = await ok(server.client, 'browser_snapshot');
      for (const name of ['Log levels', 'Fail'])
        await ok(server.client, 'browser_click', {
          element: name,
          ref: refOf(snapshot, new RegExp(`button "${name}"`)),
        });
      const all = await ok(server.client, 'browser_get_console_logs');
      expect(all).toContain('[debug] some debug');
      const warnings = await ok(server.client, 'browser_get_console_logs', { level: 'warning' });
      expect(warnings.split('\n').filter((line) => line.startsWith('['))).toEqual([
        '[warning] only a warning',
        '[error] bad thing 42',
        '[error] Uncaught Error: boom',
      ]);
      expect(await ok(server.client, 'browser_get_console_logs', { level: 'info' })).not.toContain(
        'some debug',
      );
      expect(await ok(server.client, 'browser_get_console_logs', { level: 'error' })).not.toContain(
        'warning',
      );
      const bad = await call(server.client, 'browser_get_console_logs', { level: 'loud' });
      expect(bad.isError).toBe(true);
    });

    it('lists the page’s requests and shows one in full', async () => {
      await ok(server.client, 'browser_navigate', { url: pages.url('/network') });
      const snapshot = await ok(server.client, 'browser_snapshot');
      expect(await ok(server.client, 'browser_network_requests')).toBe(
        `[0] GET ${pages.url('/network')} => 200 (Document)`,
      );
      const all = await ok(server.client, 'browser_network_requests', { static: true });
      expect(all).toContain(`GET ${pages.url('/style.css')} => 200 (Stylesheet)`);
      expect(all).toContain(`GET ${pages.url('/app.js')} => 200 (Script)`);
      expect(all).toContain(`GET ${pages.url('/logo.png')} => 200 (Image)`);

      const press = (name: string) =>
        ok(server.client, 'browser_click', {
          element: name,
          ref: refOf(snapshot, new RegExp(`button "${name}"`)),
        });
      await press('Load items');
      await ok(server.client, 'browser_wait_for', { text: 'got 3' });
      await press('Break');
      await ok(server.client, 'browser_wait_for', { text: 'failed' });
      await press('Big');
      await ok(server.client, 'browser_wait_for', { text: 'big 200000' });

      const lines = (await ok(server.client, 'browser_network_requests', { filter: '/api/' })).split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^\[\d+\] POST .*\/api\/items\?x=1 => 201 \(Fetch\)$/);
      expect(lines[1]).toMatch(/^\[\d+\] GET .*\/api\/broken => 500 \(Fetch\)$/);
      expect(lines[2]).toMatch(/^\[\d+\] GET .*\/api\/big => 200 \(Fetch\)$/);
      expect(await ok(server.client, 'browser_network_requests', { filter: 'unreachable' })).toMatch(
        /^\[\d+\] GET http:\/\/127\.0\.0\.1:1\/unreachable => failed \(net::ERR_[A-Z_]+\) \(Fetch\)$/,
      );
      const indexOf = (line: string | undefined) => Number(/^\[(\d+)\]/.exec(line ?? '')?.[1]);

      const detail = await ok(server.client, 'browser_network_request', { index: indexOf(lines[0]) });
      expect(detail).toContain('x-test: yes');
      expect(detail).toContain('Request body:\n{"want":"items"}');
      expect(detail).toContain('x-served-by: test');
      expect(detail).toContain('"items":[1,2,3]');
      const big = await ok(server.client, 'browser_network_request', { index: indexOf(lines[2]) });
      expect(big).toContain('[cut: the first 10000 of 200000 characters are shown]');

      const badFilter = await call(server.client, 'browser_network_requests', { filter: '(' });
      expect(badFilter.isError).toBe(true);
      expect(badFilter.text).toContain('is not a valid regular expression');
      const noSuch = await call(server.client, 'browser_network_request', { index: 9_999 });
      expect(noSuch.isError).toBe(true);
      expect(noSuch.text).toContain('browser_network_requests');

      // A new page starts the list again.
      await ok(server.client, 'browser_navigate', { url: pages.url('/subtree') });
      expect(await ok(server.client, 'browser_network_requests')).toBe(
        `[0] GET ${pages.url('/subtree')} => 200 (Document)`,
      );
    });

    it('snapshots the part of the page under one element, to a depth', async () => {
      await ok(server.client, 'browser_navigate', { url: pages.url('/subtree') });
      const full = await ok(server.client, 'browser_snapshot');
      const panel = refOf(full, /region "Panel"/);
      const part = await ok(server.client, 'browser_snapshot', { ref: panel });
      expect(part).toContain('- heading "Panel" [level=2]');
      expect(part).toContain('link "Deep link"');
      expect(part).toContain('button "Panel button"');
      expect(part).not.toContain('Outside button');
      expect(part).not.toContain('Alpha');
      // The part's refs are the full snapshot's: both stay valid.
      expect(refOf(part, /button "Panel button"/)).toBe(refOf(full, /button "Panel button"/));

      const shallow = await ok(server.client, 'browser_snapshot', { ref: panel, depth: 1 });
      expect(shallow).toContain('- heading "Panel" [level=2]');
      expect(shallow).not.toContain('Deep link');
      expect(shallow).toMatch(/- list \[ref=s\d+e\d+\] …/);
      expect(
        await ok(server.client, 'browser_click', {
          element: 'Outside button',
          ref: refOf(full, /button "Outside button"/),
        }),
      ).toBe('Clicked Outside button');

      await ok(server.client, 'browser_snapshot');
      const stale = await call(server.client, 'browser_snapshot', { ref: panel });
      expect(stale.isError).toBe(true);
      expect(stale.text).toContain('older snapshot');
    });
  },
);
