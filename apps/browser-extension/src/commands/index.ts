import type { CommandType } from '@ports/browser-protocol';
import { withChanges } from '../action-changes.js';
import { click, hover, press, select, type } from './input.js';
import { goThroughHistory, navigate } from './navigation.js';
import { networkRequest, networkRequests } from './network.js';
import { consoleLogs, screenshot, waitFor } from './page-info.js';
import { snapshot } from './snapshot.js';
import { tabs } from './tabs.js';

/** Runs one command for an instance and resolves with its reply payload. */
export type CommandHandler = (
  instanceId: string,
  payload: Readonly<Record<string, unknown>>,
) => Promise<unknown>;

/** An action whose reply also says what it changed on the page (see `withChanges`). */
function tracked(handler: CommandHandler, pageHeader = true): CommandHandler {
  return (instanceId, payload) =>
    withChanges(instanceId, async () => (await handler(instanceId, payload)) as object, { pageHeader });
}

/** Every command of the protocol table, implemented: a missing one is a type error. */
export const HANDLERS: Readonly<Record<CommandType, CommandHandler>> = {
  // A navigation answers the page's URL and title itself.
  browser_navigate: tracked(navigate, false),
  browser_go_back: tracked((instanceId) => goThroughHistory(instanceId, -1), false),
  browser_go_forward: tracked((instanceId) => goThroughHistory(instanceId, 1), false),
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
