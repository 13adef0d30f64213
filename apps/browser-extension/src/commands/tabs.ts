import { type Handler, ProtocolError, type TabInfo } from '@ports/browser-protocol';
import { forgetTab, listTabs, newTab, selectTab } from '../instance-tabs.js';
import { closePage } from '../page.js';
import { navigate } from './navigation.js';

async function describe(instanceId: string): Promise<{ tabs: TabInfo[] }> {
  const { tabs, active } = await listTabs(instanceId);
  const infos = tabs.map((tab, index) => ({
    index,
    url: tab.url ?? tab.pendingUrl ?? '',
    title: tab.title ?? '',
    active: tab.id === active,
  }));
  return { tabs: infos };
}

async function tabAt(instanceId: string, index: number | undefined): Promise<chrome.tabs.Tab> {
  const { tabs, active } = await listTabs(instanceId);
  if (index === undefined) {
    const current = tabs.find((tab) => tab.id === active);
    if (current) return current;
  }
  const tab = index === undefined ? undefined : tabs[index];
  if (!tab) {
    throw new ProtocolError(
      'EBADARGS',
      `No tab at index ${String(index)}: this session has ${tabs.length} tab(s). Use browser_tabs with action "list".`,
    );
  }
  return tab;
}

/** `browser_tabs`: list, new, select or close, within the instance's own tabs only. */
export const tabs: Handler<'browser_tabs'> = async (instanceId, payload) => {
  switch (payload.action) {
    case 'list':
      return describe(instanceId);
    case 'new': {
      await newTab(instanceId);
      if (payload.url !== undefined) await navigate(instanceId, { url: payload.url });
      return describe(instanceId);
    }
    case 'select': {
      const tab = await tabAt(instanceId, payload.index);
      await selectTab(instanceId, tab.id as number);
      return describe(instanceId);
    }
    case 'close': {
      const tab = await tabAt(instanceId, payload.index);
      await closePage(tab.id as number);
      await chrome.tabs.remove(tab.id as number);
      await forgetTab(tab.id as number);
      return describe(instanceId);
    }
  }
};
