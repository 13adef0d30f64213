import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { freePortRange } from '@ports/test-utils';
import type { Page as PlaywrightPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connected, fails, ok, refOf } from './client.js';
import {
  type ExtensionBrowser,
  findChromium,
  launchWithExtension,
  type McpServerProcess,
  servePages,
  startMcpServer,
  tempRegistry,
} from './harness.js';
import {
  CLICK_PAGE,
  DIALOGS_PAGE,
  DRAG_PAGE,
  EVALUATE_PAGE,
  FORM_PAGE,
  LEAVE_PAGE,
  SHOT_PAGE,
  UPLOAD_PAGE,
  WELCOME_PAGE,
} from './tool-pages.js';

const chromiumPath = findChromium();
const required = process.env.CI === 'true';

/** The first pixel of a PNG (RGB), which every PNG filter stores as is. */
function firstPixel(png: Buffer): [number, number, number] {
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  return [raw[1] ?? -1, raw[2] ?? -1, raw[3] ?? -1];
}

describe.skipIf(!chromiumPath && !required)('the tools of issue 21, in Chromium with our extension', () => {
  let browser: ExtensionBrowser;
  /** Default flags: dialogs wait for browser_handle_dialog, evaluate is offered. */
  let alpha: McpServerProcess;
  /** --dialogs dismiss --upload-root <dir> --no-evaluate */
  let gamma: McpServerProcess;
  /** --dialogs accept */
  let delta: McpServerProcess;
  let pages: Awaited<ReturnType<typeof servePages>>;
  const files = mkdtempSync(join(tmpdir(), 'browser-extension-files-'));
  const root = join(files, 'root');
  const registry = tempRegistry();

  /** Navigates `server`'s tab to `path` (tagged with `who`) and returns Playwright's view of that tab. */
  async function open(server: McpServerProcess, path: string, who: string): Promise<PlaywrightPage> {
    const url = `${pages.url(path)}?who=${who}`;
    await ok(server.client, 'browser_navigate', { url });
    // Playwright learns of the navigation on its own session, a moment later.
    await expect.poll(() => browser.context.pages().some((p) => p.url() === url)).toBe(true);
    return browser.context.pages().find((p) => p.url() === url) as PlaywrightPage;
  }

  beforeAll(async () => {
    mkdirSync(root);
    writeFileSync(join(root, 'a.txt'), 'alpha\n');
    writeFileSync(join(root, 'b.txt'), 'bravo\n');
    writeFileSync(join(files, 'outside.txt'), 'secret\n');
    symlinkSync(join(files, 'outside.txt'), join(root, 'link.txt'));
    const range = await freePortRange(4);
    pages = await servePages({
      '/dialogs': DIALOGS_PAGE,
      '/leave': LEAVE_PAGE,
      '/upload': UPLOAD_PAGE,
      '/form': FORM_PAGE,
      '/drag': DRAG_PAGE,
      '/evaluate': EVALUATE_PAGE,
      '/click': CLICK_PAGE,
      '/shot': SHOT_PAGE,
      '/welcome': WELCOME_PAGE,
    });
    alpha = await startMcpServer(range, 'alpha', registry);
    gamma = await startMcpServer(range, 'gamma', registry, [
      '--dialogs',
      'dismiss',
      '--upload-root',
      root,
      '--no-evaluate',
    ]);
    delta = await startMcpServer(range, 'delta', registry, ['--dialogs', 'accept']);
    browser = await launchWithExtension(chromiumPath as string, range);
    // Playwright, attached to every page for the test's own reading, dismisses dialogs nobody
    // listens for, racing the extension: a listener that does nothing leaves them to us.
    for (const page of browser.context.pages()) page.on('dialog', () => {});
    browser.context.on('page', (page) => page.on('dialog', () => {}));
    await connected(alpha, 10_000);
    await connected(gamma, 10_000);
    await connected(delta, 10_000);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([alpha?.close(), gamma?.close(), delta?.close()]);
    await browser?.close();
    await pages?.[Symbol.asyncDispose]();
    rmSync(files, { recursive: true, force: true });
  });

  describe('browser_handle_dialog', () => {
    it('reports a confirm in the click’s reply, blocks other tools naming it, and dismisses it', async () => {
      const tab = await open(alpha, '/dialogs', 'alpha-confirm');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      const clicked = await ok(alpha.client, 'browser_click', {
        element: 'Confirm',
        ref: refOf(snapshot, /button "Confirm"/),
      });
      expect(clicked).toContain('A confirm dialog opened: "Sure?"');
      expect(clicked).toContain('browser_handle_dialog');
      // Other page tools fail at once, naming the dialog and the tool that answers it.
      const blocked = await fails(alpha.client, 'browser_snapshot');
      expect(blocked).toContain('confirm dialog is open');
      expect(blocked).toContain('"Sure?"');
      expect(blocked).toContain('browser_handle_dialog');
      expect(await fails(alpha.client, 'browser_press_key', { key: 'a' })).toContain('browser_handle_dialog');
      // (The page itself cannot be read while the dialog blocks it: Playwright's evaluate would wait too.)
      expect(await ok(alpha.client, 'browser_handle_dialog', { accept: false })).toContain(
        'Dismissed the confirm dialog "Sure?"',
      );
      expect(await tab.evaluate(() => document.getElementById('out')?.textContent)).toBe('Declined');
    });

    it('answers a prompt with promptText, and an alert', async () => {
      const tab = await open(alpha, '/dialogs', 'alpha-prompt');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      expect(
        await ok(alpha.client, 'browser_click', {
          element: 'Prompt',
          ref: refOf(snapshot, /button "Prompt"/),
        }),
      ).toContain('A prompt dialog opened: "Name?" (default text "Ann")');
      expect(await ok(alpha.client, 'browser_handle_dialog', { accept: true, promptText: 'Zoe' })).toContain(
        'with "Zoe"',
      );
      expect(await tab.evaluate(() => document.getElementById('out')?.textContent)).toBe('Hello Zoe');
      expect(
        await ok(alpha.client, 'browser_click', { element: 'Alert', ref: refOf(snapshot, /button "Alert"/) }),
      ).toContain('An alert dialog opened: "Hello there"');
      await ok(alpha.client, 'browser_handle_dialog', { accept: true });
      expect(await tab.evaluate(() => document.getElementById('out')?.textContent)).toBe('after alert');
    });

    it('reports a beforeunload dialog of a link click, and leaves when it is accepted', async () => {
      const tab = await open(alpha, '/leave', 'alpha-leave');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      const clicked = await ok(alpha.client, 'browser_click', {
        element: 'Go',
        ref: refOf(snapshot, /link "Go to dialogs"/),
      });
      expect(clicked).toContain('A beforeunload dialog opened');
      expect(tab.url()).toContain('/leave');
      await ok(alpha.client, 'browser_handle_dialog', { accept: true });
      expect(await ok(alpha.client, 'browser_wait_for', { text: 'nothing yet' })).toContain('is on the page');
    });

    it('reports an alert the page opens while loading in browser_navigate’s reply, and the load goes on once answered', async () => {
      const url = `${pages.url('/welcome')}?who=alpha-welcome`;
      const reply = await ok(alpha.client, 'browser_navigate', { url });
      expect(reply).toContain(`- Page URL: ${url}`);
      expect(reply).toContain('An alert dialog opened: "Welcome"');
      expect(await fails(alpha.client, 'browser_snapshot')).toContain('alert dialog is open');
      await ok(alpha.client, 'browser_handle_dialog', { accept: true });
      expect(await ok(alpha.client, 'browser_wait_for', { text: 'greeted' })).toContain('is on the page');
    });

    it('accepts dialogs at once with --dialogs accept, a prompt with its default text', async () => {
      const tab = await open(delta, '/dialogs', 'delta-prompt');
      const snapshot = await ok(delta.client, 'browser_snapshot');
      const clicked = await ok(delta.client, 'browser_click', {
        element: 'Prompt',
        ref: refOf(snapshot, /button "Prompt"/),
      });
      expect(clicked).toContain(
        'A prompt dialog opened: "Name?" (default text "Ann"). browser-mcp accepted it (--dialogs).',
      );
      expect(await tab.evaluate(() => document.getElementById('out')?.textContent)).toBe('Hello Ann');
    });

    it('is a clear error with no dialog open, and changes nothing', async () => {
      const tab = await open(alpha, '/dialogs', 'alpha-none');
      const text = await fails(alpha.client, 'browser_handle_dialog', { accept: true });
      expect(text).toContain('No dialog is open');
      expect(await tab.evaluate(() => document.getElementById('out')?.textContent)).toBe('nothing yet');
    });

    it('answers dialogs at once with --dialogs dismiss, and says so', async () => {
      const tab = await open(gamma, '/dialogs', 'gamma-confirm');
      const snapshot = await ok(gamma.client, 'browser_snapshot');
      const clicked = await ok(gamma.client, 'browser_click', {
        element: 'Confirm',
        ref: refOf(snapshot, /button "Confirm"/),
      });
      expect(clicked).toContain('A confirm dialog opened: "Sure?". browser-mcp dismissed it (--dialogs).');
      expect(await tab.evaluate(() => document.getElementById('out')?.textContent)).toBe('Declined');
      expect(await ok(gamma.client, 'browser_get_console_logs')).toContain(
        '[dialog] confirm: Sure? (dismissed by browser-mcp)',
      );
    });
  });

  describe('browser_file_upload', () => {
    it('reports the file chooser in the click’s reply and sets the files the page reads', async () => {
      const tab = await open(alpha, '/upload', 'alpha-upload');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      const clicked = await ok(alpha.client, 'browser_click', {
        element: 'Many files',
        ref: refOf(snapshot, /button "Many files"/),
      });
      expect(clicked).toContain('A file chooser opened (several files allowed)');
      await ok(alpha.client, 'browser_file_upload', { paths: [join(root, 'a.txt'), join(root, 'b.txt')] });
      await expect
        .poll(() => tab.evaluate(() => document.getElementById('got')?.textContent))
        .toBe('many: a.txt=alpha, b.txt=bravo');
    });

    it('refuses a missing file, naming it, and sets nothing', async () => {
      const tab = await open(alpha, '/upload', 'alpha-missing');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      await ok(alpha.client, 'browser_click', {
        element: 'One file',
        ref: refOf(snapshot, /button "One file"/),
      });
      const missing = join(root, 'nope.txt');
      expect(await fails(alpha.client, 'browser_file_upload', { paths: [missing] })).toContain(
        `Cannot upload ${missing}: it does not exist`,
      );
      expect(await fails(alpha.client, 'browser_file_upload', { paths: ['a.txt'] })).toContain(
        'not an absolute path',
      );
      expect(
        await tab.evaluate(() => (document.getElementById('one') as HTMLInputElement).files?.length),
      ).toBe(0);
      // The chooser is still open: a good path goes through.
      await ok(alpha.client, 'browser_file_upload', { paths: [join(root, 'a.txt')] });
      await expect
        .poll(() => tab.evaluate(() => document.getElementById('got')?.textContent))
        .toBe('one: a.txt=alpha');
      expect(await fails(alpha.client, 'browser_file_upload', { paths: [join(root, 'a.txt')] })).toContain(
        'No file chooser is open',
      );
    });

    it('takes files only from inside --upload-root, links resolved (an attacker’s symlink out is refused)', async () => {
      const tab = await open(gamma, '/upload', 'gamma-upload');
      const snapshot = await ok(gamma.client, 'browser_snapshot');
      await ok(gamma.client, 'browser_click', {
        element: 'One file',
        ref: refOf(snapshot, /button "One file"/),
      });
      for (const path of [
        join(files, 'outside.txt'),
        join(root, 'link.txt'),
        join(root, '..', 'outside.txt'),
      ]) {
        expect(await fails(gamma.client, 'browser_file_upload', { paths: [path] })).toContain(
          'outside the folders',
        );
      }
      expect(
        await tab.evaluate(() => (document.getElementById('one') as HTMLInputElement).files?.length),
      ).toBe(0);
      await ok(gamma.client, 'browser_file_upload', { paths: [join(root, 'b.txt')] });
      await expect
        .poll(() => tab.evaluate(() => document.getElementById('got')?.textContent))
        .toBe('one: b.txt=bravo');
    });
  });

  describe('browser_fill_form', () => {
    it('fills a textbox, checkbox, radio, combobox and slider in one call, with a user’s events', async () => {
      const tab = await open(alpha, '/form', 'alpha-form');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      const reply = await ok(alpha.client, 'browser_fill_form', {
        fields: [
          { name: 'First name', type: 'textbox', ref: refOf(snapshot, /textbox "First name"/), value: 'Ada' },
          {
            name: 'Email',
            type: 'textbox',
            ref: refOf(snapshot, /textbox "Email"/),
            value: 'ada@example.com',
          },
          {
            name: 'Newsletter',
            type: 'checkbox',
            ref: refOf(snapshot, /checkbox "Newsletter"/),
            value: 'true',
          },
          { name: 'Pro', type: 'radio', ref: refOf(snapshot, /radio "Pro"/), value: 'true' },
          { name: 'Country', type: 'combobox', ref: refOf(snapshot, /combobox "Country"/), value: 'Japan' },
          { name: 'Volume', type: 'slider', ref: refOf(snapshot, /slider "Volume"/), value: '7' },
        ],
      });
      expect(reply).toContain('Filled 6 field(s)');
      const seen = await tab.evaluate(() => ({
        first: (document.getElementById('first') as HTMLInputElement).value,
        email: (document.getElementById('email') as HTMLInputElement).value,
        news: (document.getElementById('news') as HTMLInputElement).checked,
        pro: (document.getElementById('pro') as HTMLInputElement).checked,
        country: (document.getElementById('country') as HTMLSelectElement).value,
        volume: (document.getElementById('volume') as HTMLInputElement).value,
        events: (window as unknown as { events: string[] }).events,
      }));
      expect(seen).toMatchObject({
        first: 'Ada',
        email: 'ada@example.com',
        news: true,
        pro: true,
        country: 'jp',
        volume: '7',
      });
      for (const event of [
        'first:input',
        'email:input',
        'news:change',
        'pro:change',
        'country:change',
        'volume:input',
        'volume:change',
      ]) {
        expect(seen.events).toContain(event);
      }
    });

    it('fails on a ref of the wrong kind, naming the field and the ones filled before it, and fills nothing after', async () => {
      const tab = await open(alpha, '/form', 'alpha-form-bad');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      const text = await fails(alpha.client, 'browser_fill_form', {
        fields: [
          { name: 'First name', type: 'textbox', ref: refOf(snapshot, /textbox "First name"/), value: 'Bo' },
          { name: 'Newsletter', type: 'textbox', ref: refOf(snapshot, /checkbox "Newsletter"/), value: 'x' },
          {
            name: 'Email',
            type: 'textbox',
            ref: refOf(snapshot, /textbox "Email"/),
            value: 'late@example.com',
          },
        ],
      });
      expect(text).toContain('Field "Newsletter" (textbox');
      expect(text).toContain('is a checkbox, not a textbox');
      expect(text).toContain('Filled before it: "First name"');
      const seen = await tab.evaluate(() => [
        (document.getElementById('first') as HTMLInputElement).value,
        (document.getElementById('email') as HTMLInputElement).value,
        (document.getElementById('news') as HTMLInputElement).checked,
      ]);
      expect(seen).toEqual(['Bo', '', false]);
    });

    it('fails on a stale ref with the usual error, and changes nothing', async () => {
      const tab = await open(alpha, '/form', 'alpha-form-stale');
      const old = await ok(alpha.client, 'browser_snapshot');
      await ok(alpha.client, 'browser_snapshot');
      const text = await fails(alpha.client, 'browser_fill_form', {
        fields: [
          { name: 'First name', type: 'textbox', ref: refOf(old, /textbox "First name"/), value: 'Cy' },
        ],
      });
      expect(text).toContain('older snapshot');
      expect(text).toContain('Take a new browser_snapshot');
      expect(await tab.evaluate(() => (document.getElementById('first') as HTMLInputElement).value)).toBe(
        'old',
      );
    });
  });

  describe('browser_drag', () => {
    it('gives the draggable card, its drop zone, the list and its items refs, and drops the card (HTML5)', async () => {
      const tab = await open(alpha, '/drag', 'alpha-drag');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      expect(snapshot).toMatch(/generic "Card A" \[draggable\] \[ref=/);
      expect(snapshot).toMatch(/generic "Bin" \[drop target\] \[ref=/);
      expect(snapshot).toMatch(/list "Tasks" \[ref=/);
      expect(snapshot).toMatch(/listitem \[ref=/);
      await ok(alpha.client, 'browser_drag', {
        startElement: 'Card A',
        startRef: refOf(snapshot, /"Card A"/),
        endElement: 'Bin',
        endRef: refOf(snapshot, /"Bin"/),
      });
      expect(await tab.evaluate(() => document.getElementById('dropped')?.textContent)).toBe(
        'dropped card-a',
      );
    });

    it('drags with the mouse alone: a sortable list item onto another', async () => {
      const tab = await open(alpha, '/drag', 'alpha-sort');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      const items = [...snapshot.matchAll(/listitem \[ref=(s\d+e\d+)\]/g)].map((m) => m[1] as string);
      expect(items).toHaveLength(3);
      await ok(alpha.client, 'browser_drag', {
        startElement: 'One',
        startRef: items[0],
        endElement: 'Three',
        endRef: items[2],
      });
      expect(await tab.evaluate(() => document.getElementById('order')?.textContent)).toBe('Two Three One');
    });
  });

  describe('browser_evaluate', () => {
    it('returns the JSON of a value the page computed, and of an element’s', async () => {
      await open(alpha, '/evaluate', 'alpha-evaluate');
      expect(await ok(alpha.client, 'browser_evaluate', { function: '() => window.total' })).toBe('42');
      expect(await ok(alpha.client, 'browser_evaluate', { function: '() => ({ a: [1, "x"] })' })).toBe(
        '{\n  "a": [\n    1,\n    "x"\n  ]\n}',
      );
      expect(await ok(alpha.client, 'browser_evaluate', { function: 'async () => { await 0; }' })).toBe(
        'undefined',
      );
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      expect(
        await ok(alpha.client, 'browser_evaluate', {
          function: '(el) => el.value + "/" + el.id',
          element: 'Price',
          ref: refOf(snapshot, /textbox "Price"/),
        }),
      ).toBe('"19.99/price"');
    });

    it('is an error carrying the page’s message for a throw, and for a function that does not parse (which runs nothing)', async () => {
      const tab = await open(alpha, '/evaluate', 'alpha-evaluate-bad');
      expect(
        await fails(alpha.client, 'browser_evaluate', { function: '() => { throw new Error("boom") }' }),
      ).toContain('The function threw in the page: Error: boom');
      const text = await fails(alpha.client, 'browser_evaluate', {
        function: '() => { window.evaluated = 1; ',
      });
      expect(text).toContain('does not parse');
      expect(text).toContain('SyntaxError');
      expect(await tab.evaluate(() => (window as unknown as { evaluated: number }).evaluated)).toBe(0);
    });

    it('is not offered with --no-evaluate', async () => {
      const { tools } = await gamma.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('browser_evaluate');
      expect((await alpha.client.listTools()).tools.map((tool) => tool.name)).toContain('browser_evaluate');
    });
  });

  describe('browser_click, browser_type and browser_mouse_click_xy', () => {
    it('double-clicks, right-clicks, middle-clicks and clicks with modifiers', async () => {
      const tab = await open(alpha, '/click', 'alpha-click');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      const target = { element: 'Target', ref: refOf(snapshot, /button "Target"/) };
      const log = () => tab.evaluate(() => document.getElementById('log')?.textContent);
      expect(await ok(alpha.client, 'browser_click', { ...target, doubleClick: true })).toContain(
        'Double-clicked Target',
      );
      expect(await log()).toBe('click:0:;click:0:;dblclick;');
      await tab.evaluate(() => {
        (document.getElementById('log') as HTMLElement).textContent = '';
      });
      await ok(alpha.client, 'browser_click', { ...target, button: 'right' });
      await ok(alpha.client, 'browser_click', { ...target, button: 'middle' });
      await ok(alpha.client, 'browser_click', { ...target, modifiers: ['Shift'] });
      await ok(alpha.client, 'browser_click', { ...target, modifiers: ['Alt', 'ControlOrMeta'] });
      // Chrome fires auxclick for every button but the primary one, the right one included.
      expect(await log()).toBe('contextmenu;auxclick:2;auxclick:1;click:0:shift;click:0:alt+ctrl;');
    });

    it('types slowly with one key event per character, and at once without', async () => {
      const tab = await open(alpha, '/click', 'alpha-type');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      const field = { element: 'Keys field', ref: refOf(snapshot, /textbox "Keys field"/) };
      await ok(alpha.client, 'browser_type', { ...field, text: 'xyz' });
      expect(await tab.evaluate(() => document.getElementById('keycount')?.textContent)).toBe('0');
      expect(await ok(alpha.client, 'browser_type', { ...field, text: 'abc', slowly: true })).toContain(
        'key by key',
      );
      const seen = await tab.evaluate(() => [
        (document.getElementById('keys') as HTMLInputElement).value,
        document.getElementById('keycount')?.textContent,
      ]);
      // One Delete to clear the field, then one keydown per character.
      expect(seen).toEqual(['abc', '4']);
    });

    it('clicks a canvas at viewport pixels, and refuses a point outside the viewport', async () => {
      const tab = await open(alpha, '/click', 'alpha-xy');
      await ok(alpha.client, 'browser_mouse_click_xy', { x: 50, y: 360 });
      expect(await tab.evaluate(() => document.getElementById('canvas-click')?.textContent)).toBe(
        'canvas 50,60',
      );
      const text = await fails(alpha.client, 'browser_mouse_click_xy', { x: 50, y: 100_000 });
      expect(text).toContain('outside the viewport');
      expect(await tab.evaluate(() => document.getElementById('canvas-click')?.textContent)).toBe(
        'canvas 50,60',
      );
    });
  });

  describe('browser_screenshot and browser_resize', () => {
    it('captures the full page, one element, and JPEG; the image, region and element get refs', async () => {
      const tab = await open(alpha, '/shot', 'alpha-shot');
      const snapshot = await ok(alpha.client, 'browser_snapshot');
      expect(snapshot).toMatch(/region "Gallery" \[ref=/);
      expect(snapshot).toMatch(/img "Logo" \[ref=/);
      const size = await tab.evaluate(() => ({
        dpr: devicePixelRatio,
        width: document.documentElement.scrollWidth,
        height: document.documentElement.scrollHeight,
      }));
      const image = async (args: Record<string, unknown>) => {
        const result = await call(alpha.client, 'browser_screenshot', args);
        expect(result.isError, result.text).toBe(false);
        const [part] = result.content as { data: string; mimeType: string }[];
        return { bytes: Buffer.from(part?.data ?? '', 'base64'), mimeType: part?.mimeType };
      };
      const full = await image({ fullPage: true });
      expect([full.bytes.readUInt32BE(16), full.bytes.readUInt32BE(20)]).toEqual([
        Math.round(size.width * size.dpr),
        Math.round(size.height * size.dpr),
      ]);
      const box = await image({ element: 'Red box', ref: refOf(snapshot, /img "Red box"/) });
      expect([box.bytes.readUInt32BE(16), box.bytes.readUInt32BE(20)]).toEqual([
        120 * size.dpr,
        80 * size.dpr,
      ]);
      expect(firstPixel(box.bytes)).toEqual([255, 0, 0]);
      const jpeg = await image({ type: 'jpeg' });
      expect(jpeg.mimeType).toBe('image/jpeg');
      expect(jpeg.bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    });

    it('sets the tab’s viewport and never the window', async () => {
      const tab = await open(alpha, '/shot', 'alpha-resize');
      const worker = await browser.worker();
      const windowOf = () =>
        worker.evaluate(async (url) => {
          const [t] = await chrome.tabs.query({ url });
          const w = await chrome.windows.get(t?.windowId as number);
          return { left: w.left, top: w.top, width: w.width, height: w.height };
        }, tab.url());
      const before = await windowOf();
      expect(await ok(alpha.client, 'browser_resize', { width: 600, height: 400 })).toContain('600×400');
      expect(await tab.evaluate(() => [innerWidth, innerHeight])).toEqual([600, 400]);
      expect(await windowOf()).toEqual(before);
      expect(await fails(alpha.client, 'browser_resize', { width: 20, height: 400 })).toMatch(/width|100/);
    });
  });
});
