#!/usr/bin/env node
// Browser round trips as an AI client sees them: median and p95 of `browser_snapshot` on a page with
// 1,000 interactive elements and of `browser_click` on one of its buttons (the click bumps a
// counter), each through a real MCP stdio client. OURS is MCP client -> browser-mcp -> our extension
// in headless Chromium; beside it @playwright/mcp on the same Chromium (`--executable-path`),
// headless, same page from the same local server, in the same run. The two are measured in turns
// (one call of ours, one of theirs), so a busy phase of the machine weighs on both alike. Each runs
// with its defaults, as users run it: @playwright/mcp's click answer waits for the page to settle
// (--timeout-settle) and saves a page snapshot, ours answers once the mouse events are dispatched.
// Then, on a page of five text fields: browser_fill_form of all five (ours against theirs, and
// against five browser_type calls of ours), and browser_evaluate reading the five values back.
// Target: ours at or below Playwright MCP's median for every tool. BROWSER_EXTENSION_DIR loads
// another build of the extension (a prototype) instead of apps/browser-extension/dist.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import {
  findChromium,
  INSTALL_HINT,
  launchWithExtension,
  pairingCodeFor,
  resultText,
  waitForExtension,
} from '../apps/browser-extension/scripts/launch-chromium.mjs';
import { percentile } from './stats.mjs';

const WARMUP = 5;
const CALLS = 40;
const ELEMENTS = 1_000;
const VIEWPORT = { width: 1280, height: 720 };

/** The fields of the form page, each a labelled text box. */
const FIELDS = ['First', 'Last', 'Email', 'City', 'Phone'];
const FORM_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Form</title></head><body>
<form onsubmit="event.preventDefault()">${FIELDS.map((name) => `<label>${name} <input name="${name}"></label>`).join('\n')}</form>
</body></html>`;
/** What evaluate reads back: every field's value, which also proves both filled the form. */
const EVALUATE_FUNCTION =
  "() => [...document.querySelectorAll('input')].map((input) => input.value).join('|')";

const executablePath = findChromium();
if (!executablePath) {
  console.log(
    `browser bench skipped: no Chromium found (CHROME_PATH, chromium, ...); install it: ${INSTALL_HINT}`,
  );
  process.exit(0);
}

const require = createRequire(import.meta.url);
const ourBin = join(dirname(require.resolve('@ports/browser-mcp/package.json')), 'bin', 'browser-mcp.js');
const playwrightCli = join(dirname(require.resolve('@playwright/mcp/package.json')), 'cli.js');

/** 1,000 interactive elements: buttons, links, text fields, checkboxes, selects; one target button. */
function benchPage() {
  const rows = [];
  for (let i = 0; i < ELEMENTS - 1; i++) {
    switch (i % 5) {
      case 0:
        rows.push(`<button type="button">Action ${i}</button>`);
        break;
      case 1:
        rows.push(`<a href="#item-${i}">Link ${i}</a>`);
        break;
      case 2:
        rows.push(`<input aria-label="Field ${i}" value="value ${i}">`);
        break;
      case 3:
        rows.push(`<label><input type="checkbox"${i % 2 ? ' checked' : ''}> Option ${i}</label>`);
        break;
      default:
        rows.push(`<select aria-label="Choice ${i}"><option>one</option><option>two</option></select>`);
    }
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>Bench page</title></head><body>
<h1>1,000 interactive elements</h1>
<p id="count">Clicks 0</p>
<button type="button" onclick="window.clicks = (window.clicks ?? 0) + 1; document.getElementById('count').textContent = 'Clicks ' + window.clicks">Count click</button>
<main>${rows.map((row) => `<div>${row}</div>`).join('\n')}</main>
</body></html>`;
}

function free(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A run of `size` free loopback ports (no fixed ports: other benches and tests run here too). */
async function freeRange(size) {
  for (let base = 40_000 + Math.floor(Math.random() * 20_000); ; base += size) {
    const checks = await Promise.all(Array.from({ length: size }, (_, i) => free(base + i)));
    if (checks.every(Boolean)) return { start: base, end: base + size - 1 };
  }
}

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
  return { client, stderr: () => stderr };
}

/** Calls a tool and returns its text, throwing with the text when the tool answered an error. */
async function call(client, name, args = {}) {
  const result = await client.callTool({ name, arguments: args });
  const text = resultText(result);
  if (result.isError) throw new Error(`${name} failed: ${text.slice(0, 500)}`);
  return text;
}

/** The ref of the "Count click" button in a snapshot's text (both tools write `[ref=...]`). */
function targetRef(snapshot, who) {
  const ref = /button "Count click"[^\n]*?\[ref=([^\]\s]+)\]/.exec(snapshot)?.[1];
  if (!ref)
    throw new Error(`no ref for the "Count click" button in ${who}'s snapshot:\n${snapshot.slice(0, 800)}`);
  return ref;
}

/** The number of interactive refs in a snapshot: proves both saw the whole page. */
const refCount = (snapshot) => (snapshot.match(/\[ref=/g) ?? []).length;

async function timed(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const cleanups = [];
let exitCode = 0;
try {
  const page = benchPage();
  const http = createHttpServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(request.url?.startsWith('/form') ? FORM_PAGE : page);
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
  const url = `http://127.0.0.1:${http.address().port}/`;

  // Ours: one browser-mcp server, our extension in headless Chromium scanning the server's range.
  const dir = mkdtempSync(join(tmpdir(), 'bench-browser-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const range = await freeRange(3);
  const ours = await connect(
    'browser-mcp',
    process.execPath,
    [ourBin, '--ports', `${range.start}-${range.end}`, '--registry', join(dir, 'registry.json')],
    { MCP_INSTANCE_ID: 'bench', BROWSER_MCP_PAIRING_FILE: join(dir, 'pairing.json') },
  );
  cleanups.push(() => ours.client.close());
  const browser = await launchWithExtension({
    executablePath,
    range,
    windowSize: VIEWPORT,
    // Paired as a user does, through the options page, with the bench's own secret.
    pairingCode: pairingCodeFor(ourBin, join(dir, 'pairing.json')),
    ...(process.env.BROWSER_EXTENSION_DIR ? { extensionDir: process.env.BROWSER_EXTENSION_DIR } : {}),
  });
  cleanups.push(() => browser.close());
  await waitForExtension(ours.client);

  // Theirs: @playwright/mcp launching the same Chromium; as root it needs --no-sandbox, and
  // --isolated keeps its profile in memory.
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
  cleanups.push(() => theirs.client.close());

  const contenders = [
    // The same click, in each tool's own argument names.
    { name: 'ours', client: ours.client, clickArgs: (ref) => ({ element: 'Count click button', ref }) },
    {
      name: '@playwright/mcp',
      client: theirs.client,
      clickArgs: (ref) => ({ element: 'Count click button', target: ref }),
    },
  ];
  for (const contender of contenders) {
    await call(contender.client, 'browser_navigate', { url });
    contender.snapshot = [];
    contender.click = [];
  }

  // Snapshots, in turns.
  for (let i = 0; i < WARMUP + CALLS; i++) {
    for (const contender of contenders) {
      let text = '';
      const ms = await timed(async () => {
        text = await call(contender.client, 'browser_snapshot');
      });
      if (i >= WARMUP) contender.snapshot.push(ms);
      contender.lastSnapshot = text;
    }
  }
  for (const contender of contenders) {
    contender.refs = refCount(contender.lastSnapshot);
    if (contender.refs < ELEMENTS) {
      throw new Error(
        `${contender.name}'s snapshot has only ${contender.refs} refs, expected >= ${ELEMENTS}`,
      );
    }
    contender.ref = targetRef(contender.lastSnapshot, contender.name);
  }

  // Clicks on the same button, in turns; the page counts them.
  for (let i = 0; i < WARMUP + CALLS; i++) {
    for (const contender of contenders) {
      const ms = await timed(() =>
        call(contender.client, 'browser_click', contender.clickArgs(contender.ref)),
      );
      if (i >= WARMUP) contender.click.push(ms);
    }
  }
  for (const contender of contenders) {
    const after = await call(contender.client, 'browser_snapshot');
    contender.count = Number(/Clicks (\d+)/.exec(after)?.[1]);
  }

  // Forms and evaluate, on a page of five text fields: ours as one browser_fill_form and as five
  // browser_type calls, theirs as one browser_fill_form; then browser_evaluate. In turns again.
  for (const contender of contenders) {
    await call(contender.client, 'browser_navigate', { url: `${url}form` });
    const snapshot = await call(contender.client, 'browser_snapshot');
    contender.fields = FIELDS.map((name) => {
      const ref = new RegExp(`textbox "${name}"[^\\n]*?\\[ref=([^\\]\\s]+)\\]`).exec(snapshot)?.[1];
      if (!ref)
        throw new Error(`no ref for ${name} in ${contender.name}'s snapshot:\n${snapshot.slice(0, 800)}`);
      return { name, ref };
    });
    contender.fill_form = [];
    contender.type5 = [];
    contender.evaluate = [];
  }
  const refKey = (contender) => (contender === contenders[0] ? 'ref' : 'target');
  for (let i = 0; i < WARMUP + CALLS; i++) {
    for (const contender of contenders) {
      const value = (name) => `${name.toLowerCase()} ${i}`;
      const fields = contender.fields.map(({ name, ref }) => ({
        name,
        type: 'textbox',
        [refKey(contender)]: ref,
        value: value(name),
      }));
      const ms = await timed(() => call(contender.client, 'browser_fill_form', { fields }));
      if (i >= WARMUP) contender.fill_form.push(ms);
      if (contender !== contenders[0]) continue;
      const typed = await timed(async () => {
        for (const { name, ref } of contender.fields) {
          await call(contender.client, 'browser_type', { element: name, ref, text: value(name) });
        }
      });
      if (i >= WARMUP) contender.type5.push(typed);
    }
  }
  for (let i = 0; i < WARMUP + CALLS; i++) {
    for (const contender of contenders) {
      let text = '';
      const ms = await timed(async () => {
        text = await call(contender.client, 'browser_evaluate', { function: EVALUATE_FUNCTION });
      });
      if (i >= WARMUP) contender.evaluate.push(ms);
      contender.evaluated = text;
    }
  }
  const last = FIELDS.map((name) => `${name.toLowerCase()} ${WARMUP + CALLS - 1}`).join('|');
  for (const contender of contenders) {
    if (!contender.evaluated.includes(last)) {
      throw new Error(
        `${contender.name}'s page does not hold the last values: ${contender.evaluated.slice(0, 300)}`,
      );
    }
  }

  const stats = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
  };
  const fmt = (value) => `${value.toFixed(1).padStart(7)} ms`;
  const [mine, other] = contenders;
  console.log(
    `page: ${ELEMENTS} interactive elements (snapshot refs: ours ${mine.refs}, @playwright/mcp ${other.refs}); ` +
      `${CALLS} calls each after ${WARMUP} warm-up; Chromium ${executablePath}`,
  );
  for (const tool of ['snapshot', 'click']) {
    const a = stats(mine[tool]);
    const b = stats(other[tool]);
    console.log(
      `browser_${tool.padEnd(8)} ours median ${fmt(a.median)} p95 ${fmt(a.p95)} | ` +
        `@playwright/mcp median ${fmt(b.median)} p95 ${fmt(b.p95)} | ` +
        `ours/playwright median ${(a.median / b.median).toFixed(2)}x p95 ${(a.p95 / b.p95).toFixed(2)}x (target <= 1x median)`,
    );
  }
  const line = (label, a, b) =>
    `${label.padEnd(24)} ours median ${fmt(a.median)} p95 ${fmt(a.p95)} | ` +
    `@playwright/mcp median ${fmt(b.median)} p95 ${fmt(b.p95)} | ` +
    `ours/playwright median ${(a.median / b.median).toFixed(2)}x p95 ${(a.p95 / b.p95).toFixed(2)}x (target <= 1x median)`;
  console.log(line('browser_fill_form (5)', stats(mine.fill_form), stats(other.fill_form)));
  const typed = stats(mine.type5);
  console.log(
    `${'5 x browser_type (ours)'.padEnd(24)} ours median ${fmt(typed.median)} p95 ${fmt(typed.p95)} | ` +
      `ours fill_form/5 x type median ${(stats(mine.fill_form).median / typed.median).toFixed(2)}x`,
  );
  console.log(line('browser_evaluate', stats(mine.evaluate), stats(other.evaluate)));
  console.log(
    `clicks counted by the page: ours ${mine.count}, @playwright/mcp ${other.count} (each sent ${WARMUP + CALLS})`,
  );
  if (mine.count !== WARMUP + CALLS || other.count !== WARMUP + CALLS) {
    throw new Error('a click did not reach the page');
  }
} catch (error) {
  exitCode = 1;
  console.error(`browser bench failed: ${error?.stack ?? error}`);
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
}
process.exit(exitCode);
