import type { PageChanges } from '@ports/browser-protocol';
import { pageFor, pageInfo, sleep } from './commands/context.js';
import { listTabs } from './instance-tabs.js';
import type { Happening, Page } from './page.js';

/** How long an action's effects may take to show after its last event was dispatched. */
const SETTLE_MS = 60;
/** How long an action waits for a navigation it started to finish loading before it answers anyway. */
const NAVIGATION_WAIT_MS = 10_000;
/** Errors listed per reply at most (the console has them all). */
const MAX_ERRORS = 5;

interface TabSnapshot {
  readonly ids: readonly number[];
  readonly urls: ReadonlyMap<number, string>;
}

async function tabsOf(instanceId: string): Promise<TabSnapshot> {
  const { tabs } = await listTabs(instanceId);
  return {
    ids: tabs.map((tab) => tab.id as number),
    urls: new Map(tabs.map((tab) => [tab.id as number, tab.pendingUrl || tab.url || ''])),
  };
}

/**
 * The page's URL and title: from the page itself, or from its tab while a dialog blocks the
 * page's scripts (the tab's title can lag a moment behind, which only matters for that case).
 */
async function pageNow(page: Page): Promise<{ url: string; title: string } | undefined> {
  if (page.dialog === undefined) return pageInfo(page).catch(() => undefined);
  const tab = await chrome.tabs.get(page.tabId).catch(() => undefined);
  return tab ? { url: tab.url ?? '', title: tab.title ?? '' } : undefined;
}

/** Watches the top document for a navigation in flight, so an action waits for the new page. */
function watchLoading(page: Page): { loading(): boolean; stop(): void } {
  let loading = false;
  const main = (p: Record<string, unknown>) => p.frameId === undefined || page.isMainFrame(p.frameId);
  const offs = [
    page.session.on('Page.frameRequestedNavigation', (p) => {
      // A link to a new tab asks its opener's frame too: only a navigation of this tab counts.
      if (main(p) && (p.disposition === undefined || p.disposition === 'currentTab')) loading = true;
    }),
    page.session.on('Page.frameStartedLoading', (p) => {
      if (main(p)) loading = true;
    }),
    page.session.on('Page.frameStoppedLoading', (p) => {
      if (main(p)) loading = false;
    }),
    page.session.on('Page.downloadWillBegin', () => {
      loading = false;
    }),
    page.session.on('detached', () => {
      loading = false;
    }),
  ];
  return {
    loading: () => loading,
    stop: () => {
      for (const off of offs) off();
    },
  };
}

/**
 * Runs an action of `instanceId` and adds what it changed to its reply as `changes` (left out when
 * nothing did). `pageHeader: false` leaves the URL and title out (navigations answer them anyway).
 */
export async function withChanges<T extends object>(
  instanceId: string,
  act: () => Promise<T>,
  { pageHeader = true }: { readonly pageHeader?: boolean } = {},
): Promise<T & { changes?: PageChanges }> {
  // handle_dialog acts while a dialog is open: the page is still ours to watch.
  const page = await pageFor(instanceId, { whileDialogOpen: true }).catch(() => undefined);
  const happenings: Happening[] = [];
  const unwatch = page?.watch((happening) => happenings.push(happening));
  const loading = page ? watchLoading(page) : undefined;
  try {
    const [beforeInfo, beforeTabs] = await Promise.all([
      page && pageHeader ? pageNow(page) : undefined,
      tabsOf(instanceId),
    ]);
    const result = await act();
    // A dialog left open blocks the page's scripts (and so pageInfo): nothing more to wait for then.
    const blocked = () => page?.dialog !== undefined;
    if (!blocked()) await sleep(SETTLE_MS);
    const started = Date.now();
    while (loading?.loading() && !blocked() && Date.now() - started < NAVIGATION_WAIT_MS) await sleep(50);
    await page?.tabsClaimed();
    const [afterInfo, afterTabs] = await Promise.all([
      page && pageHeader && page.session.attached && !blocked()
        ? pageInfo(page).catch(() => undefined)
        : undefined,
      tabsOf(instanceId),
    ]);
    const changes: Record<string, unknown> = {};
    if (beforeInfo && afterInfo) {
      if (afterInfo.url !== beforeInfo.url) changes.url = afterInfo.url;
      if (afterInfo.title !== beforeInfo.title) changes.title = afterInfo.title;
    }
    const opened = afterTabs.ids
      .map((id, index) => ({ id, index }))
      .filter(({ id }) => !beforeTabs.ids.includes(id))
      .map(({ id, index }) => ({ index, url: afterTabs.urls.get(id) ?? '' }));
    const closed = beforeTabs.ids
      .map((id, index) => ({ id, index }))
      .filter(({ id }) => !afterTabs.ids.includes(id))
      .map(({ id, index }) => ({ index, url: beforeTabs.urls.get(id) ?? '' }));
    if (opened.length > 0) changes.tabsOpened = opened;
    if (closed.length > 0) changes.tabsClosed = closed;
    const texts = (kind: Happening['kind']) => happenings.filter((h) => h.kind === kind).map((h) => h.text);
    const errors = texts('error');
    if (errors.length > 0)
      changes.errors =
        errors.length > MAX_ERRORS
          ? [
              ...errors.slice(0, MAX_ERRORS),
              `…and ${errors.length - MAX_ERRORS} more (browser_get_console_logs)`,
            ]
          : errors;
    // Dialogs and file choosers the action opened are in the reply already (`dialog`, `fileChooser`).
    const downloads = texts('download');
    if (downloads.length > 0) changes.downloads = downloads;
    return Object.keys(changes).length === 0 ? result : { ...result, changes: changes as PageChanges };
  } finally {
    unwatch?.();
    loading?.stop();
  }
}
