import type { CommandType, Handler, Handlers } from '@ports/browser-protocol';
import { withChanges } from '../action-changes.js';
import { handleDialog } from './dialog.js';
import { drag } from './drag.js';
import { evaluateFunction } from './evaluate.js';
import { fillForm } from './form.js';
import { click, hover, press, select, type } from './input.js';
import { goThroughHistory, navigate } from './navigation.js';
import { networkRequest, networkRequests } from './network.js';
import { consoleLogs, waitFor } from './page-info.js';
import { screenshot } from './screenshot.js';
import { snapshot } from './snapshot.js';
import { tabs } from './tabs.js';
import { fileUpload } from './upload.js';
import { mouseClickXy, resize } from './viewport.js';

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
  browser_handle_dialog: tracked(handleDialog),
  browser_file_upload: tracked(fileUpload),
  browser_fill_form: tracked(fillForm),
  browser_drag: tracked(drag),
  browser_evaluate: evaluateFunction,
  browser_mouse_click_xy: tracked(mouseClickXy),
  browser_resize: resize,
};
