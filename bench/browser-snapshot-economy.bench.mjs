#!/usr/bin/env node
// Snapshot economy: what a model pays, in characters, to read a page and to act on it. For each
// realistic page (bench/pages/realistic.mjs), ours against @playwright/mcp in one run, same
// Chromium, same local server: the characters of a full browser_snapshot, the refs each hands out
// (all, and those on actionable roles: nothing a model can act on may be lost), and the
// characters of a browser_click's reply (a click that changes nothing on the page but a counter)
// against a full snapshot of the same page.
// Targets: ours <= 0.7x Playwright MCP's snapshot characters with no fewer actionable refs; our
// click reply <= 0.1x our snapshot.
import { findChromium, INSTALL_HINT } from '../apps/browser-extension/scripts/launch-chromium.mjs';
import { call, servePages, startContenders } from './browser-harness.mjs';
import { REALISTIC_PAGES } from './pages/realistic.mjs';

const SNAPSHOT_TARGET = 0.7;
const CLICK_TARGET = 0.1;

/** Roles a model acts on: a ref on one of them must not be lost. */
const ACTIONABLE = new Set([
  'button',
  'link',
  'textbox',
  'searchbox',
  'checkbox',
  'radio',
  'combobox',
  'listbox',
  'option',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'tab',
  'slider',
  'spinbutton',
  'switch',
  'treeitem',
]);

const executablePath = findChromium();
if (!executablePath) {
  console.log(`browser snapshot economy bench skipped: no Chromium found; install it: ${INSTALL_HINT}`);
  process.exit(0);
}

/** The snapshot part of a reply (Playwright MCP wraps it in a ```yaml block under headings). */
function snapshotLines(text) {
  return text.split('\n').filter((line) => /^\s*- /.test(line));
}

function refCounts(text) {
  let all = 0;
  let actionable = 0;
  for (const line of snapshotLines(text)) {
    if (!/\[ref=/.test(line)) continue;
    all += 1;
    const role = /^\s*- ([\w-]+)/.exec(line)?.[1];
    if (role && ACTIONABLE.has(role)) actionable += 1;
  }
  return { all, actionable };
}

function counterRef(text, who) {
  const ref = /button "Count click"[^\n]*?\[ref=([^\]\s]+)\]/.exec(text)?.[1];
  if (!ref)
    throw new Error(`no ref for the "Count click" button in ${who}'s snapshot:\n${text.slice(0, 800)}`);
  return ref;
}

const cleanups = [];
let exitCode = 0;
try {
  const paths = Object.fromEntries(Object.values(REALISTIC_PAGES).map((page, i) => [`/p${i}`, page()]));
  const base = await servePages(paths, cleanups);
  const contenders = await startContenders(executablePath, cleanups, {
    extensionDir: process.env.BROWSER_EXTENSION_DIR,
  });
  const [mine, other] = contenders;
  const misses = [];
  let i = 0;
  for (const name of Object.keys(REALISTIC_PAGES)) {
    const url = `${base}/p${i++}`;
    const result = {};
    for (const contender of contenders) {
      await call(contender.client, 'browser_navigate', { url });
      const snapshot = await call(contender.client, 'browser_snapshot');
      const click = await call(
        contender.client,
        'browser_click',
        contender.clickArgs(counterRef(snapshot, contender.name), 'Count click button'),
      );
      result[contender.name] = { snapshot: snapshot.length, click: click.length, refs: refCounts(snapshot) };
    }
    const a = result[mine.name];
    const b = result[other.name];
    const ratio = a.snapshot / b.snapshot;
    const clickRatio = a.click / a.snapshot;
    console.log(
      `${name.padEnd(28)} snapshot chars ours ${String(a.snapshot).padStart(6)} | @playwright/mcp ${String(b.snapshot).padStart(6)} | ` +
        `ours/playwright ${ratio.toFixed(2)}x (target <= ${SNAPSHOT_TARGET}x)`,
    );
    console.log(
      `${''.padEnd(28)} refs ours ${a.refs.all} (actionable ${a.refs.actionable}) | @playwright/mcp ${b.refs.all} (actionable ${b.refs.actionable})`,
    );
    console.log(
      `${''.padEnd(28)} click reply chars ours ${a.click} = ${clickRatio.toFixed(3)}x our snapshot (target <= ${CLICK_TARGET}x) | ` +
        `@playwright/mcp ${b.click} = ${(b.click / b.snapshot).toFixed(3)}x its snapshot`,
    );
    if (ratio > SNAPSHOT_TARGET) misses.push(`${name}: snapshot ${ratio.toFixed(2)}x`);
    if (a.refs.actionable < b.refs.actionable)
      misses.push(`${name}: ${b.refs.actionable - a.refs.actionable} actionable refs fewer`);
    if (clickRatio > CLICK_TARGET) misses.push(`${name}: click reply ${clickRatio.toFixed(3)}x`);
  }
  console.log(misses.length === 0 ? 'all targets met' : `targets missed: ${misses.join('; ')}`);
} catch (error) {
  exitCode = 1;
  console.error(`browser snapshot economy bench failed: ${error?.stack ?? error}`);
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
}
process.exit(exitCode);
