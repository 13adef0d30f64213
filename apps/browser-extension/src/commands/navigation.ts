import { type Handler, LIMITS, type PageReply, ProtocolError } from '@ports/browser-protocol';
import { activeTab } from '../instance-tabs.js';
import type { Page } from '../page.js';
import { restrictedReason } from '../restricted.js';
import { evaluate, pageFor, pageInfo, pollUntil } from './context.js';
import { observeNavigation } from './observe.js';

/** How long a page may take to load before navigate, back or forward give up. */
const LOAD_TIMEOUT_MS = LIMITS.loadTimeoutMs;

/** `browser_navigate`: opens `url` in the instance's tab and waits for its load event. */
export const navigate: Handler<'browser_navigate'> = async (instanceId, { url }) => {
  const reason = restrictedReason(url);
  if (reason) throw new ProtocolError('ERESTRICTED', reason);
  const away = await leaveRestrictedPage(instanceId, url);
  if (away) return away;
  const page = await pageFor(instanceId);
  return observeNavigation(page, url, async () => {
    const loaded = page.session.waitFor(
      'Page.loadEventFired',
      LOAD_TIMEOUT_MS,
      () =>
        new ProtocolError('ETIMEOUT', `${url} did not finish loading within ${LOAD_TIMEOUT_MS / 1000} s.`),
    );
    let result: { errorText?: string; loaderId?: string };
    try {
      result = await page.session.send('Page.navigate', { url });
    } catch (error) {
      loaded.cancel();
      throw error;
    }
    if (result.errorText) {
      loaded.cancel();
      throw new ProtocolError('ENAVIGATION', `Could not open ${url}: ${result.errorText}.`);
    }
    if (result.loaderId === undefined)
      loaded.cancel(); // same document (a #fragment): nothing loads
    else await loaded.promise;
    return pageInfo(page);
  });
};

/**
 * The debugger cannot attach to a tab showing a `chrome://` page (the user went there, or handed
 * such a tab over), so navigating away from one goes through `chrome.tabs` instead. Undefined
 * when the tab shows an ordinary page.
 */
async function leaveRestrictedPage(
  instanceId: string,
  url: string,
): Promise<{ url: string; title: string } | undefined> {
  const tab = await activeTab(instanceId);
  if (tab.id === undefined || restrictedReason(tab.url ?? tab.pendingUrl) === undefined) return undefined;
  const tabId = tab.id;
  let settle = (): void => {};
  const complete = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      settle();
      reject(
        new ProtocolError('ETIMEOUT', `${url} did not finish loading within ${LOAD_TIMEOUT_MS / 1000} s.`),
      );
    }, LOAD_TIMEOUT_MS);
    const onUpdated = (id: number, change: chrome.tabs.OnUpdatedInfo): void => {
      if (id !== tabId || change.status !== 'complete') return;
      settle();
      resolve();
    };
    settle = () => {
      clearTimeout(timer);
      chrome.tabs.onUpdated.removeListener(onUpdated);
    };
    chrome.tabs.onUpdated.addListener(onUpdated);
  });
  complete.catch(() => {});
  try {
    await chrome.tabs.update(tabId, { url });
  } catch (error) {
    settle();
    throw new ProtocolError('ENAVIGATION', `Could not open ${url}: ${(error as Error).message}.`, {
      cause: error,
    });
  }
  await complete;
  return pageInfo(await pageFor(instanceId));
}

/** `browser_go_back` (delta -1) and `browser_go_forward` (+1) through the tab's history. */
export async function goThroughHistory(instanceId: string, delta: -1 | 1): Promise<PageReply> {
  const page = await pageFor(instanceId);
  const history = await page.session.send<{ currentIndex: number; entries: { id: number; url: string }[] }>(
    'Page.getNavigationHistory',
  );
  const targetIndex = history.currentIndex + delta;
  const target = history.entries[targetIndex];
  if (!target) {
    throw new ProtocolError(
      'ENAVIGATION',
      `There is no ${delta < 0 ? 'previous' : 'next'} page in this tab’s history. Use browser_navigate instead.`,
    );
  }
  return observeNavigation(page, target.url, async () => {
    // navigateToHistoryEntry returns before the navigation commits: wait for it to (a new document,
    // a back/forward cache restore, or a same-document entry), then for the page to be complete.
    const timeout = () =>
      new ProtocolError(
        'ETIMEOUT',
        `${target.url} did not finish loading within ${LOAD_TIMEOUT_MS / 1000} s.`,
      );
    const committed = page.session.waitFor('Page.frameNavigated', LOAD_TIMEOUT_MS, timeout, (p) => {
      const frame = p.frame as { parentId?: string } | undefined;
      return frame !== undefined && frame.parentId === undefined;
    });
    const withinDocument = page.session.waitFor('Page.navigatedWithinDocument', LOAD_TIMEOUT_MS, timeout);
    try {
      await page.session.send('Page.navigateToHistoryEntry', { entryId: target.id });
      await Promise.race([committed.promise, withinDocument.promise]);
    } finally {
      committed.cancel();
      withinDocument.cancel();
    }
    // A page restored from the back/forward cache fires no load event: wait for the state instead.
    await pollUntil(
      async () =>
        (await isAt(page, targetIndex)) &&
        (await evaluate<string>(page, 'document.readyState')) === 'complete',
      LOAD_TIMEOUT_MS,
      () =>
        new ProtocolError(
          'ETIMEOUT',
          `${target.url} did not finish loading within ${LOAD_TIMEOUT_MS / 1000} s.`,
        ),
    );
    return pageInfo(page);
  });
}

async function isAt(page: Page, index: number): Promise<boolean> {
  const history = await page.session.send<{ currentIndex: number }>('Page.getNavigationHistory');
  return history.currentIndex === index;
}
