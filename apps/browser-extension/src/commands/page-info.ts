import { type Handler, ProtocolError } from '@ports/browser-protocol';
import { evaluate, pageFor, pollUntil, sleep } from './context.js';

/** `console.get`: the page's console messages and uncaught errors since its last navigation. */
export const consoleLogs: Handler<'console.get'> = async (instanceId) => {
  const page = await pageFor(instanceId);
  return { logs: [...page.console] };
};

/** `browser_wait_for`: text to appear or disappear, or a time (the protocol caps `timeoutMs`). */
export const waitFor: Handler<'browser_wait_for'> = async (instanceId, payload) => {
  const { timeoutMs, text, textGone: gone } = payload;
  if (text === undefined && gone === undefined) {
    const ms = Math.min((payload.time ?? 0) * 1000, timeoutMs);
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
