import { CommandError } from '../errors.js';
import { evaluate, pageFor, pollUntil, sleep } from './context.js';

/** Console levels from the least to the most severe. */
const LEVELS = ['debug', 'info', 'warning', 'error'] as const;

/** Where a console message's type stands among {@link LEVELS}. */
function rank(type: string): number {
  if (type === 'debug' || type === 'verbose' || type === 'trace') return 0;
  if (type === 'warning' || type === 'warn') return 2;
  if (type === 'error' || type === 'assert') return 3;
  return 1; // log, info, dir, table, dialog…
}

/**
 * `console.get`: the page's console messages and uncaught errors since its last navigation; with
 * `level`, only those at that level or above (`debug` < `info` < `warning` < `error`).
 */
export async function consoleLogs(instanceId: string, payload: Readonly<Record<string, unknown>> = {}) {
  const { level } = payload;
  const least = level === undefined || level === null ? 0 : LEVELS.indexOf(level as (typeof LEVELS)[number]);
  if (least < 0) {
    throw new CommandError(
      'EBADARGS',
      `level must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(level)}.`,
    );
  }
  const page = await pageFor(instanceId);
  return {
    logs: page.console.filter((entry) => rank('type' in entry ? entry.type : entry.level) >= least),
  };
}

/** `browser_screenshot`: a PNG of the visible viewport. */
export async function screenshot(instanceId: string) {
  const page = await pageFor(instanceId);
  const { data } = await page.session.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
  return { dataUrl: `data:image/png;base64,${data}` };
}

/** The longest a wait may take, whatever the server asked. */
const MAX_WAIT_MS = 30_000;

/** `browser_wait_for`: text to appear or disappear, or a time. */
export async function waitFor(instanceId: string, payload: Readonly<Record<string, unknown>>) {
  const timeoutMs = Math.min(
    typeof payload.timeoutMs === 'number' ? payload.timeoutMs : MAX_WAIT_MS,
    MAX_WAIT_MS,
  );
  const text = typeof payload.text === 'string' && payload.text !== '' ? payload.text : undefined;
  const gone = typeof payload.textGone === 'string' && payload.textGone !== '' ? payload.textGone : undefined;
  if (text === undefined && gone === undefined) {
    const seconds = typeof payload.time === 'number' ? payload.time : 0;
    const ms = Math.min(Math.max(seconds * 1000, 0), timeoutMs);
    await sleep(ms);
    return { waitedMs: ms, text: `Waited ${ms / 1000} s.` };
  }
  const page = await pageFor(instanceId);
  const has = (needle: string) =>
    evaluate<boolean>(page, `(document.body?.innerText ?? '').includes(${JSON.stringify(needle)})`);
  const waitedMs = await pollUntil(
    async () => (text === undefined || (await has(text))) && (gone === undefined || !(await has(gone))),
    timeoutMs,
    () =>
      new CommandError(
        'ETIMEOUT',
        text !== undefined
          ? `"${text}" did not appear on the page within ${timeoutMs / 1000} s.`
          : `"${gone}" was still on the page after ${timeoutMs / 1000} s.`,
      ),
    100,
  );
  return {
    waitedMs,
    found: true,
    text:
      text !== undefined
        ? `"${text}" is on the page (after ${waitedMs} ms).`
        : `"${gone}" is gone (after ${waitedMs} ms).`,
  };
}
