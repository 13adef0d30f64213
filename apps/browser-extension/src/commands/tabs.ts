import type { TabInfo } from '@ports/browser-protocol';
import { CommandError } from '../errors.js';
import { forgetTab, listTabs, newTab, selectTab } from '../instance-tabs.js';
import { closePage } from '../page.js';
import { navigate } from './navigation.js';

async function describe(instanceId: string): Promise<{ tabs: TabInfo[]; text: string }> {
  const { tabs, active } = await listTabs(instanceId);
  const infos = tabs.map((tab, index) => ({
    index,
    url: tab.url || tab.pendingUrl || '',
    title: tab.title ?? '',
    active: tab.id === active,
  }));
  const text =
    infos.length === 0
      ? 'This session has no tabs yet; the next command opens one.'
      : infos
          .map((t) => `- ${t.index}: ${t.title || '(untitled)'} (${t.url})${t.active ? ' [active]' : ''}`)
          .join('\n');
  return { tabs: infos, text };
}

async function tabAt(instanceId: string, index: unknown): Promise<chrome.tabs.Tab> {
  const { tabs, active } = await listTabs(instanceId);
  if (index === undefined) {
    const current = tabs.find((tab) => tab.id === active);
    if (current) return current;
  }
  const tab = typeof index === 'number' ? tabs[index] : undefined;
  if (!tab) {
    throw new CommandError(
      'EBADARGS',
      `No tab at index ${String(index)}: this session has ${tabs.length} tab(s). Use browser_tabs with action "list".`,
    );
  }
  return tab;
}

/** `browser_tabs`: list, new, select or close, within the instance's own tabs only. */
export async function tabs(instanceId: string, payload: Readonly<Record<string, unknown>>) {
  switch (payload.action) {
    case 'list':
      return describe(instanceId);
    case 'new': {
      await newTab(instanceId);
      if (typeof payload.url === 'string' && payload.url !== '')
        await navigate(instanceId, { url: payload.url });
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
    default:
      throw new CommandError(
        'EBADARGS',
        `Unknown action ${JSON.stringify(payload.action)}: use list, new, select or close.`,
      );
  }
}
