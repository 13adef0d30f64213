import type { CommandType, Handler, Handlers } from '@ports/browser-protocol';
import { withChanges } from '../action-changes.js';
import { click, hover, press, select, type } from './input.js';
import { goThroughHistory, navigate } from './navigation.js';
import { networkRequest, networkRequests } from './network.js';
import { consoleLogs, screenshot, waitFor } from './page-info.js';
import { snapshot } from './snapshot.js';
import { tabs } from './tabs.js';

/** An action whose reply also says what it changed on the page (see `withChanges`). */
function tracked<T extends CommandType>(handler: Handler<T>, pageHeader = true): Handler<T> {
  return (instanceId, payload) => withChanges(instanceId, () => handler(instanceId, payload), { pageHeader });
}

/**
 * Every command of the protocol table, implemented, each typed by its command (`Handler<T>`): a
 * command missing here, or a handler with the wrong payload or reply, is a type error. Actions are
 * tracked: their replies say what changed.
 */
export const HANDLERS: Handlers = {
  // A navigation answers the page's URL and title itself.
  browser_navigate: tracked(navigate, false),
  browser_go_back: tracked<'browser_go_back'>((instanceId) => goThroughHistory(instanceId, -1), false),
  browser_go_forward: tracked<'browser_go_forward'>((instanceId) => goThroughHistory(instanceId, 1), false),
  'snapshot.accessibility': snapshot,
  'dom.click': tracked(click),
  'dom.hover': tracked(hover),
  'dom.type': tracked(type),
  'dom.select': tracked(select),
  'keyboard.press': tracked(press),
  'console.get': consoleLogs,
  browser_network_requests: networkRequests,
  browser_network_request: networkRequest,
  browser_screenshot: screenshot,
  browser_tabs: tabs,
  browser_wait_for: waitFor,
};
