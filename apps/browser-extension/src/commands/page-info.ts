import { CONSOLE_LEVELS, type Handler, ProtocolError } from '@ports/browser-protocol';
import type { Page } from '../page.js';
import { evaluate, FRAME_ANSWER_MS, pageFor, pollUntil, sleep, within } from './context.js';

/** Where a console message's level stands among `CONSOLE_LEVELS` (debug, info, warning, error). */
function rank(level: string): number {
  if (level === 'debug' || level === 'verbose' || level === 'trace') return 0;
  if (level === 'warning' || level === 'warn') return 2;
  if (level === 'error' || level === 'assert') return 3;
  return 1; // log, info, dir, table, dialog…
}

/**
 * `console.get`: the page's console messages and uncaught errors since its last navigation; with
 * `level`, only those at that level or above (`debug` < `info` < `warning` < `error`).
 */
export const consoleLogs: Handler<'console.get'> = async (instanceId, { level }) => {
  const page = await pageFor(instanceId);
  const least = level === undefined ? 0 : CONSOLE_LEVELS.indexOf(level);
  return { logs: page.console.filter((entry) => rank(entry.level) >= least) };
};

/**
 * An expression: whether `needle` is in the text of the document or of a frame of it this process
 * can read (its own frames, same-origin ones).
 */
function inDocumentText(needle: string): string {
  return `(() => {
    const has = (doc) => {
      if ((doc.body?.innerText ?? '').includes(${JSON.stringify(needle)})) return true;
      for (const frame of doc.querySelectorAll('iframe, frame')) {
        let inner = null;
        try { inner = frame.contentDocument; } catch {}
        if (inner && has(inner)) return true;
      }
      return false;
    };
    return has(document);
  })()`;
}

/**
 * Whether `needle` is in the page's text, frames included (those of other processes asked
 * themselves): `found` anywhere, and whether every frame answered (`complete`), since a frame that
 * is reloading or busy says nothing about a text being gone.
 */
async function textOnPage(page: Page, needle: string): Promise<{ found: boolean; complete: boolean }> {
  const expression = inDocumentText(needle);
  if (await evaluate<boolean>(page, expression)) return { found: true, complete: true };
  const inFrames = await Promise.all(
    page.frameSessions().map((frame) =>
      within(
        frame
          .send<{ result?: { value?: unknown }; exceptionDetails?: unknown }>('Runtime.evaluate', {
            expression,
            returnByValue: true,
          })
          .then(
            ({ result, exceptionDetails }) => (exceptionDetails ? undefined : result?.value === true),
            () => undefined,
          ),
        FRAME_ANSWER_MS,
      ),
    ),
  );
  return { found: inFrames.includes(true), complete: !inFrames.includes(undefined) };
}

/**
 * `browser_wait_for`: text to appear or disappear (in the page or any of its frames), or a time
 * (the protocol caps `timeoutMs`).
 */
export const waitFor: Handler<'browser_wait_for'> = async (instanceId, payload) => {
  const { timeoutMs, text, textGone: gone } = payload;
  if (text === undefined && gone === undefined) {
    const ms = Math.min((payload.time ?? 0) * 1000, timeoutMs);
    await sleep(ms);
    return { waitedMs: ms, text: `Waited ${ms / 1000} s.` };
  }
  const page = await pageFor(instanceId);
  const appeared = async (needle: string) => (await textOnPage(page, needle)).found;
  const vanished = async (needle: string) => {
    const { found, complete } = await textOnPage(page, needle);
    return !found && complete;
  };
  const waitedMs = await pollUntil(
    async () =>
      (text === undefined || (await appeared(text))) && (gone === undefined || (await vanished(gone))),
    timeoutMs,
    () =>
      new ProtocolError(
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
};
