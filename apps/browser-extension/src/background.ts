/**
 * The service worker: it owns every server connection. Chrome may stop it at any moment, so every
 * listener is registered here, synchronously, before anything is awaited, and what must survive a
 * restart (the instances' tabs) lives in `chrome.storage.session`; connections are rebuilt by
 * scanning again on start-up.
 */
import { isSettingsChange } from './config.js';
import { ConnectionManager } from './connection-manager.js';
import { dispatchDebuggerDetach, dispatchDebuggerEvent } from './debugger-session.js';
import { activeTabIds, adoptTab, claimOpenedTab, forgetTab, noteCreatedTab } from './instance-tabs.js';
import { closePage, Page } from './page.js';
import { PAIRING_STORAGE_KEY } from './pairing/store.js';
import type { PopupRequest, PopupStatus } from './ui/messages.js';

const manager = new ConnectionManager();

chrome.debugger.onEvent.addListener(dispatchDebuggerEvent);
chrome.debugger.onDetach.addListener(dispatchDebuggerDetach);
// A tab an instance's page opens joins that instance.
chrome.tabs.onCreated.addListener((tab) => void noteCreatedTab(tab));
Page.onWindowOpen = claimOpenedTab;
chrome.tabs.onRemoved.addListener((tabId) => {
  void closePage(tabId);
  void forgetTab(tabId);
});
chrome.storage.onChanged.addListener((changes, area) => {
  // A new or forgotten pairing drops every connection at once: none is driven with the old key.
  if (area === 'local' && PAIRING_STORAGE_KEY in changes) manager.dropAll();
  if (area === 'local' && (isSettingsChange(changes) || PAIRING_STORAGE_KEY in changes))
    void manager.reload();
});
chrome.runtime.onStartup.addListener(() => void start());
chrome.runtime.onInstalled.addListener(() => void start());
chrome.alarms.onAlarm.addListener(() => void start());
chrome.runtime.onConnect.addListener((port) => {
  // The offscreen page's link: connecting is what restarted us, if we were stopped.
  if (port.name === 'waker')
    // When this worker started: the popup and the tests tell a restarted worker by it.
    void chrome.storage.session.set({ workerStartedAt: Date.now() });
  void start();
});
chrome.runtime.onMessage.addListener((message: PopupRequest | { type: 'wake' }, _sender, respond) => {
  if (message.type === 'wake') {
    // The offscreen page's nudge: receiving it is what restarts a stopped service worker.
    void start();
    return false;
  }
  void handlePopup(message).then(respond, (error: Error) => respond({ error: error.message }));
  return true; // answered asynchronously
});

void start();

async function start(): Promise<void> {
  await manager.start();
  await ensureWaker();
}

/**
 * Keeps a small offscreen page that nudges the service worker every few seconds, so that after
 * Chrome stops it the worker comes back by itself and reconnects every server; an alarm is the
 * slower fallback where offscreen pages are not available.
 */
async function ensureWaker(): Promise<void> {
  try {
    const existing = await chrome.runtime.getContexts({
      contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    });
    if (existing.length === 0) {
      await chrome.offscreen.createDocument({
        url: 'offscreen.html',
        reasons: [chrome.offscreen.Reason.WORKERS],
        justification:
          'Restarts the service worker after Chrome stops it, so connections to local browser-mcp servers come back.',
      });
    }
  } catch {
    // Another start-up is creating it at this moment, or offscreen pages are not supported.
  }
  if (!(await chrome.alarms.get('wake'))) await chrome.alarms.create('wake', { periodInMinutes: 0.5 });
}

async function handlePopup(request: PopupRequest): Promise<PopupStatus | { ok: true }> {
  await manager.start();
  switch (request.type) {
    case 'status': {
      const { range, servers } = manager.status();
      const active = await activeTabIds();
      const withTabs = await Promise.all(
        servers.map(async (server) => {
          const tabId = server.instanceId ? active[server.instanceId] : undefined;
          const tab = tabId === undefined ? undefined : await chrome.tabs.get(tabId).catch(() => undefined);
          return {
            ...server,
            ...(tab ? { tab: { id: tab.id as number, title: tab.title ?? '', url: tab.url ?? '' } } : {}),
          };
        }),
      );
      return { range, paired: manager.paired, servers: withTabs };
    }
    case 'connect':
      await manager.connect(request.port);
      return { ok: true };
    case 'disconnect':
      await manager.disconnect(request.port);
      return { ok: true };
    case 'useTab':
      await adoptTab(request.instanceId, request.tabId);
      return { ok: true };
  }
}
