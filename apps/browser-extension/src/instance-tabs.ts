import { closePage } from './page.js';

/** The tabs one instance drives, kept in `chrome.storage.session` to survive a service worker restart. */
interface InstanceTabState {
  readonly tabIds: readonly number[];
  readonly active?: number;
  readonly groupId?: number;
}

type State = Readonly<Record<string, InstanceTabState>>;

const KEY = 'instanceTabs';
/** What people call each instance (its server's label), for the tab group titles. */
const LABELS_KEY = 'instanceLabels';

let chain: Promise<unknown> = Promise.resolve();

/** Runs read-modify-write steps one at a time: two commands must not both create "the" tab. */
function serialized<T>(step: () => Promise<T>): Promise<T> {
  const next = chain.then(step, step);
  chain = next.catch(() => {});
  return next;
}

async function load(): Promise<State> {
  const stored = (await chrome.storage.session.get(KEY))[KEY] as State | undefined;
  return stored ?? {};
}

async function save(state: State): Promise<void> {
  await chrome.storage.session.set({ [KEY]: state });
}

async function existingTab(tabId: number | undefined): Promise<chrome.tabs.Tab | undefined> {
  if (tabId === undefined) return undefined;
  try {
    return await chrome.tabs.get(tabId);
  } catch {
    return undefined;
  }
}

/** The instance's open tabs, in order, dropping those that were closed. */
async function liveTabs(entry: InstanceTabState | undefined): Promise<chrome.tabs.Tab[]> {
  const tabs = await Promise.all((entry?.tabIds ?? []).map(existingTab));
  return tabs.filter((tab): tab is chrome.tabs.Tab => tab !== undefined);
}

async function group(
  instanceId: string,
  tabId: number,
  groupId: number | undefined,
): Promise<number | undefined> {
  try {
    const id = await chrome.tabs.group(
      groupId === undefined ? { tabIds: [tabId] } : { tabIds: [tabId], groupId },
    );
    await chrome.tabGroups.update(id, { title: await titleOf(instanceId), collapsed: false });
    return id;
  } catch {
    // The group is only a label: a window that takes no groups (a popup window) still works.
    if (groupId !== undefined) return group(instanceId, tabId, undefined);
    return undefined;
  }
}

async function create(
  instanceId: string,
  entry: InstanceTabState | undefined,
  url = 'about:blank',
): Promise<chrome.tabs.Tab> {
  const tab = await chrome.tabs.create({ url, active: false });
  const tabId = tab.id as number;
  const groupId = await group(instanceId, tabId, entry?.groupId);
  const state = await load();
  const current = state[instanceId];
  await save({
    ...state,
    [instanceId]: {
      tabIds: [...(current?.tabIds ?? []), tabId],
      active: tabId,
      ...(groupId !== undefined ? { groupId } : {}),
    },
  });
  return tab;
}

/**
 * The tab commands of `instanceId` act on: its active tab, or a new one in a group titled with
 * the instance id when it has none (the first command, or its tab was closed).
 */
export function activeTab(instanceId: string): Promise<chrome.tabs.Tab> {
  return serialized(async () => {
    const state = await load();
    const entry = state[instanceId];
    const active = await existingTab(entry?.active);
    if (active && entry?.tabIds.includes(active.id as number)) return active;
    const tabs = await liveTabs(entry);
    const fallback = tabs.at(-1);
    if (fallback) {
      await save({
        ...state,
        [instanceId]: { ...entry, tabIds: tabs.map((t) => t.id as number), active: fallback.id as number },
      });
      return fallback;
    }
    return create(instanceId, entry);
  });
}

/** The instance's tabs, in order, with the active one marked. */
export function listTabs(
  instanceId: string,
): Promise<{ tabs: chrome.tabs.Tab[]; active: number | undefined }> {
  return serialized(async () => {
    const entry = (await load())[instanceId];
    return { tabs: await liveTabs(entry), active: entry?.active };
  });
}

/** Opens a new tab for the instance and makes it the active one. */
export function newTab(instanceId: string, url?: string): Promise<chrome.tabs.Tab> {
  return serialized(async () => create(instanceId, (await load())[instanceId], url));
}

/** Makes `tabId`, one of the instance's tabs, the active one (any other tab is ignored). */
export function selectTab(instanceId: string, tabId: number): Promise<void> {
  return serialized(async () => {
    const state = await load();
    const entry = state[instanceId];
    if (!entry?.tabIds.includes(tabId)) return;
    await save({ ...state, [instanceId]: { ...entry, active: tabId } });
  });
}

/** Hands `tabId` to the instance (the popup's "use this tab"), taking it from any other. */
export function adoptTab(instanceId: string, tabId: number): Promise<void> {
  return serialized(async () => {
    const state = await load();
    const next: Record<string, InstanceTabState> = {};
    for (const [id, entry] of Object.entries(state)) {
      const tabIds = entry.tabIds.filter((t) => t !== tabId);
      next[id] = { ...entry, tabIds, ...(entry.active === tabId ? { active: tabIds.at(-1) } : {}) };
    }
    const mine = next[instanceId];
    await closePage(tabId);
    const groupId = await group(instanceId, tabId, mine?.groupId);
    next[instanceId] = {
      tabIds: [...(mine?.tabIds ?? []), tabId],
      active: tabId,
      ...(groupId !== undefined ? { groupId } : {}),
    };
    await save(next);
  });
}

/** Forgets a closed tab wherever it belonged. */
export function forgetTab(tabId: number): Promise<void> {
  return serialized(async () => {
    const state = await load();
    const next: Record<string, InstanceTabState> = {};
    let changed = false;
    for (const [id, entry] of Object.entries(state)) {
      if (!entry.tabIds.includes(tabId)) {
        next[id] = entry;
        continue;
      }
      changed = true;
      const tabIds = entry.tabIds.filter((t) => t !== tabId);
      const { active: _old, ...rest } = entry;
      next[id] = { ...rest, tabIds, ...(entry.active === tabId ? {} : { active: entry.active }) };
    }
    if (changed) await save(next);
  });
}

/** The instance went away: let go of its tabs' debugger (the tabs stay for the user). */
export async function releaseInstance(instanceId: string): Promise<void> {
  const entry = (await load())[instanceId];
  await Promise.all((entry?.tabIds ?? []).map((tabId) => closePage(tabId)));
}

async function titleOf(instanceId: string): Promise<string> {
  const labels = (await chrome.storage.session.get(LABELS_KEY))[LABELS_KEY] as
    | Record<string, string>
    | undefined;
  return labels?.[instanceId] ?? instanceId;
}

/**
 * Remembers what people call `instanceId` and retitles its tab group: the popup and the group show
 * "Claude Desktop · ports", not a process id.
 */
export function setInstanceLabel(instanceId: string, label: string): Promise<void> {
  return serialized(async () => {
    const labels = ((await chrome.storage.session.get(LABELS_KEY))[LABELS_KEY] ?? {}) as Record<
      string,
      string
    >;
    if (labels[instanceId] !== label) {
      await chrome.storage.session.set({ [LABELS_KEY]: { ...labels, [instanceId]: label } });
    }
    const groupId = (await load())[instanceId]?.groupId;
    if (groupId === undefined) return;
    try {
      await chrome.tabGroups.update(groupId, { title: label });
    } catch {
      // The group is gone (its tabs were closed or moved): the next tab makes a new one.
    }
  });
}

/** Every instance's active tab id, for the popup. */
export async function activeTabIds(): Promise<Readonly<Record<string, number | undefined>>> {
  const state = await load();
  return Object.fromEntries(Object.entries(state).map(([id, entry]) => [id, entry.active]));
}

/** Tabs created in the last few seconds, by id, with when: a page's window.open claims one. */
const recentlyCreated = new Map<number, number>();
/** How long after its creation a tab can still be claimed by the page that opened it. */
const CLAIM_WINDOW_MS = 5_000;

function instanceOf(state: State, tabId: number): [string, InstanceTabState] | undefined {
  return Object.entries(state).find(([, entry]) => entry.tabIds.includes(tabId));
}

/** Adds `tabId` to the instance's tabs and group, leaving its active tab as it was. */
async function join(instanceId: string, tabId: number): Promise<void> {
  const entry = (await load())[instanceId];
  if (!entry || entry.tabIds.includes(tabId)) return;
  const groupId = await group(instanceId, tabId, entry.groupId);
  const state = await load();
  const latest = state[instanceId] ?? entry;
  await save({
    ...state,
    [instanceId]: {
      ...latest,
      tabIds: [...latest.tabIds, tabId],
      ...(groupId !== undefined ? { groupId } : {}),
    },
  });
}

/**
 * Notes a new tab; one whose opener is an instance's tab joins that instance at once. (Chrome
 * names the window's active tab as the opener of a tab a background tab opens, so a page's own
 * report, {@link claimOpenedTab}, is what catches most.)
 */
export function noteCreatedTab(tab: chrome.tabs.Tab): Promise<void> {
  if (tab.id === undefined) return Promise.resolve();
  const now = Date.now();
  recentlyCreated.set(tab.id, now);
  for (const [id, at] of recentlyCreated) if (now - at > CLAIM_WINDOW_MS) recentlyCreated.delete(id);
  return serialized(async () => {
    if (tab.openerTabId === undefined || tab.id === undefined) return;
    const owner = instanceOf(await load(), tab.openerTabId);
    if (owner) await join(owner[0], tab.id);
  });
}

/**
 * The page in `openerTabId` opened a window on `url` (`target=_blank`, `window.open`): the tab that
 * came of it joins the opener's instance and tab group. Waits up to two seconds for Chrome to create it.
 */
export async function claimOpenedTab(openerTabId: number, url: string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 2_000) {
    const claimed = await serialized(async () => {
      const state = await load();
      const owner = instanceOf(state, openerTabId);
      if (!owner) return true; // not an instance's page: nothing to claim
      for (const tabId of recentlyCreated.keys()) {
        if (instanceOf(state, tabId)) continue;
        const tab = await existingTab(tabId);
        if (!tab || (tab.pendingUrl !== url && tab.url !== url)) continue;
        recentlyCreated.delete(tabId);
        await join(owner[0], tabId);
        return true;
      }
      return false;
    });
    if (claimed) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
