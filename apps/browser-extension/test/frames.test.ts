import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFramePages } from './frame-pages.js';
import {
  type ExtensionBrowser,
  findChromium,
  launchWithExtension,
  type McpServerProcess,
  resultText,
  startMcpServer,
  tempRegistry,
} from './harness.js';
import { freePortRange } from './ports.js';

const chromiumPath = findChromium();
const required = process.env.CI === 'true';

type Tool = McpServerProcess['client'];

async function call(client: Tool, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  return { isError: result.isError === true, text: resultText(result) };
}

async function ok(client: Tool, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = await call(client, name, args);
  expect(result.isError, `${name}: ${result.text}`).toBe(false);
  return result.text;
}

async function connected(server: McpServerProcess, withinMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const result = await call(server.client, 'browser_tabs', { action: 'list' });
    if (!result.isError) return;
    if (Date.now() - started > withinMs)
      throw new Error(`not connected within ${withinMs} ms: ${result.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function refOf(snapshot: string, line: RegExp): string {
  const found = snapshot.split('\n').find((l) => line.test(l));
  const ref = found && /\[ref=(s\d+(?:f\d+)?e\d+)\]/.exec(found)?.[1];
  if (!ref) throw new Error(`no ref for ${line} in:\n${snapshot}`);
  return ref;
}

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

    it('shows same-origin and cross-origin iframes as frames, and clicks and types into each', async () => {
      await ok(server.client, 'browser_navigate', { url: pages.url('/frames') });
      const snapshot = await ok(server.client, 'browser_snapshot');
      expect(snapshot).toMatch(
        /- iframe "Same origin frame"\n\s+- text: Same not clicked\n\s+- button "Same button" \[ref=s\d+e\d+\]/,
      );
      expect(snapshot).toMatch(
        /- iframe "Cross origin frame"\n\s+- text: Cross not clicked\n\s+- button "Cross button" \[ref=s\d+f\d+e\d+\]/,
      );

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
      const after = await ok(server.client, 'browser_snapshot');
      expect(after).toContain('- heading "Same frame clicked" [level=1]');
      expect(after).toContain('- text: Same clicked');
      expect(after).toContain('- text: Cross typed hello');
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
    });
  },
);
