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
import { createServer as createHttpServer } from 'node:http';
import { findChromium, INSTALL_HINT } from '../apps/browser-extension/scripts/launch-chromium.mjs';
import { call, startContenders } from './browser-harness.mjs';
import { percentile } from './stats.mjs';

const WARMUP = 5;
const CALLS = 40;
const ELEMENTS = 1_000;

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

  // Ours (browser-mcp, our extension paired in headless Chromium) and @playwright/mcp on the same
  // Chromium, started as the snapshot-economy bench starts them.
  const contenders = await startContenders(executablePath, cleanups, {
    extensionDir: process.env.BROWSER_EXTENSION_DIR,
  });
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
        call(contender.client, 'browser_click', contender.clickArgs(contender.ref, 'Count click button')),
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
