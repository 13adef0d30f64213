import type { McpServer } from '@modelcontextprotocol/server';
import { handleDialog } from './tools/dialog.js';
import { drag } from './tools/drag.js';
import { evaluate } from './tools/evaluate.js';
import { fillForm } from './tools/form.js';
import { click, hover, pressKey, selectOption, type } from './tools/input.js';
import {
  type BrowserTool,
  DEFAULT_TOOL_SETTINGS,
  sendWithHints,
  type ToolDependencies,
  withErrorsAsResults,
} from './tools/kit.js';
import { goBack, goForward, navigate, tabs } from './tools/navigation.js';
import { consoleLogs, instances, screenshot, snapshot, wait, waitFor } from './tools/page.js';
import { fileUpload } from './tools/upload.js';
import { mouseClickXy, resize } from './tools/viewport.js';

export {
  DEFAULT_TOOL_SETTINGS,
  type SendCommand,
  type ToolDependencies,
  type ToolSettings,
} from './tools/kit.js';
export { MAX_WAIT_SECONDS } from './tools/page.js';

/** Every tool, in the order `tools/list` shows them. */
const TOOLS: readonly BrowserTool[] = [
  navigate,
  goBack,
  goForward,
  snapshot,
  click,
  hover,
  type,
  selectOption,
  pressKey,
  wait,
  waitFor,
  consoleLogs,
  screenshot,
  tabs,
  instances,
  handleDialog,
  fileUpload,
  fillForm,
  drag,
  evaluate,
  mouseClickXy,
  resize,
];

/** Names of every tool {@link registerBrowserTools} may register (some only with their setting). */
export const TOOL_NAMES: readonly string[] = TOOLS.map((tool) => tool.name);

/**
 * Registers the browser tools on `server`. Every failure (no extension, timeout, extension error,
 * an action the extension says did not happen) becomes an `isError: true` result whose text says
 * what to do; no tool waits longer than the bridge's command timeout.
 *
 * @example
 * ```ts
 * const server = new McpServer({ name: 'browser-mcp', version });
 * registerBrowserTools(server, { send: bridge.send, listInstances: async () => [] });
 * ```
 */
export function registerBrowserTools(server: McpServer, deps: ToolDependencies): void {
  const settings = deps.settings ?? DEFAULT_TOOL_SETTINGS;
  const send = sendWithHints(deps.send);
  for (const tool of TOOLS) {
    if (tool.enabled && !tool.enabled(settings)) continue;
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: tool.readOnly ?? false, openWorldHint: tool.openWorld ?? true },
      },
      async (args: unknown, ctx) =>
        withErrorsAsResults(() =>
          tool.run(args, {
            send: (command, payload, options) =>
              send(command, payload, { signal: ctx.mcpReq.signal, ...options }),
            signal: ctx.mcpReq.signal,
            listInstances: deps.listInstances,
            settings,
          }),
        ),
    );
  }
}
