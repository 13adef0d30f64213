import type { Handlers } from '@ports/browser-protocol';
import { handleDialog } from './dialog.js';
import { drag } from './drag.js';
import { evaluateFunction } from './evaluate.js';
import { fillForm } from './form.js';
import { click, hover, press, select, type } from './input.js';
import { goThroughHistory, navigate } from './navigation.js';
import { consoleLogs, waitFor } from './page-info.js';
import { screenshot } from './screenshot.js';
import { snapshot } from './snapshot.js';
import { tabs } from './tabs.js';
import { fileUpload } from './upload.js';
import { mouseClickXy, resize } from './viewport.js';

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
  browser_handle_dialog: handleDialog,
  browser_file_upload: fileUpload,
  browser_fill_form: fillForm,
  browser_drag: drag,
  browser_evaluate: evaluateFunction,
  browser_mouse_click_xy: mouseClickXy,
  browser_resize: resize,
};
