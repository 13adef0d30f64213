import { type DialogPolicy, ProtocolError } from '@ports/browser-protocol';
import { activeTab } from '../instance-tabs.js';
import { Page } from '../page.js';

const dialogPolicies = new Map<string, DialogPolicy | undefined>();

/** Records the server's `--dialogs` choice for `instanceId` (every command carries it). */
export function setDialogPolicy(instanceId: string, policy: DialogPolicy | undefined): void {
  dialogPolicies.set(instanceId, policy);
}

/**
 * The page commands of `instanceId` act on, attached: its active tab, opened when it has none.
 * While a dialog is open on it, an `EDIALOGOPEN` error naming the dialog, unless `whileDialogOpen`
 * (`browser_handle_dialog`).
 */
export async function pageFor(
  instanceId: string,
  options: { readonly whileDialogOpen?: boolean } = {},
): Promise<Page> {
  const tab = await activeTab(instanceId);
  if (tab.id === undefined) throw new ProtocolError('ENOTAB', 'The instance’s tab could not be opened.');
  const page = await Page.open(tab.id, tab.url ?? tab.pendingUrl);
  page.dialogPolicy = dialogPolicies.get(instanceId);
  if (page.dialog && !options.whileDialogOpen) {
    throw new ProtocolError(
      'EDIALOGOPEN',
      `${/^[aeiou]/.test(page.dialog.type) ? 'An' : 'A'} ${page.dialog.type} dialog is open on the page (${JSON.stringify(page.dialog.message)}) and blocks it.`,
    );
  }
  return page;
}

/** Evaluates `expression` in the page and returns its value (`returnByValue`). */
export async function evaluate<T>(page: Page, expression: string): Promise<T> {
  const result = await page.session.send<{
    result?: { value?: unknown };
    exceptionDetails?: { text?: string };
  }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
  if (result.exceptionDetails)
    throw new ProtocolError('EDEBUGGER', `evaluation failed: ${result.exceptionDetails.text}`);
  return result.result?.value as T;
}

/** The page's URL and title, as navigate, back and forward answer. */
export async function pageInfo(page: Page): Promise<{ url: string; title: string }> {
  return evaluate(page, '({ url: location.href, title: document.title })');
}

/** How long a frame of another process gets to answer a round trip before we go on without it. */
export const FRAME_ANSWER_MS = 1_000;

/** `promise`'s value, or `undefined` when `ms` pass first (a frame too busy to answer, say). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `everyMs` until it is true, or throws `timeoutError()` after `timeoutMs`. */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  timeoutError: () => Error,
  everyMs = 50,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    let done = false;
    try {
      done = await check();
    } catch {
      // The page is between documents: its context went away. Look again.
    }
    if (done) return Date.now() - started;
    if (Date.now() - started >= timeoutMs) throw timeoutError();
    await sleep(everyMs);
  }
}
