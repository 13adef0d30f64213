import type { Handlers } from '@ports/browser-protocol';
import { click, hover, press, select, type } from './input.js';
import { goThroughHistory, navigate } from './navigation.js';
import { consoleLogs, screenshot, waitFor } from './page-info.js';
import { snapshot } from './snapshot.js';
import { tabs } from './tabs.js';

/**
 * Every command of the protocol table, implemented, each typed by its command (`Handler<T>`): a
 * command missing here, or a handler with the wrong payload or reply, is a type error.
 */
export const HANDLERS: Handlers = {
  browser_navigate: navigate,
  browser_go_back: (instanceId) => goThroughHistory(instanceId, -1),
  browser_go_forward: (instanceId) => goThroughHistory(instanceId, 1),
  'snapshot.accessibility': snapshot,
  'dom.click': click,
  'dom.hover': hover,
  'dom.type': type,
  'dom.select': select,
  'keyboard.press': press,
  'console.get': consoleLogs,
  browser_screenshot: screenshot,
  browser_tabs: tabs,
  browser_wait_for: waitFor,
};
