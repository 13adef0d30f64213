import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { snapshotText } from './reply-text.js';
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
import { networkRequest, networkRequests } from './tools/network.js';
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
  networkRequests,
  networkRequest,
  instances,
  handleDialog,
  fileUpload,
  fillForm,
  drag,
  evaluate,
  mouseClickXy,
  resize,
];

/** What every action tool takes besides its own arguments. */
const snapshotAfter = {
  snapshot: z
    .boolean()
    .optional()
    .describe('Also return a snapshot of the page after the action (the reply already says what changed)'),
};

/** Names of every tool {@link registerBrowserTools} may register (some only with their setting). */
export const TOOL_NAMES: readonly string[] = TOOLS.map((tool) => tool.name);

/** An action's result with a snapshot of the page after it, as one more text part. */
function withSnapshot(result: CallToolResult, snapshot: Parameters<typeof snapshotText>[0]): CallToolResult {
  return { ...result, content: [...result.content, { type: 'text', text: snapshotText(snapshot) }] };
}

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
    const input = tool.action ? (tool.input as z.ZodObject).extend(snapshotAfter) : tool.input;
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: input,
        annotations: { readOnlyHint: tool.readOnly ?? false, openWorldHint: tool.openWorld ?? true },
      },
      async (args: unknown, ctx) =>
        withErrorsAsResults(async () => {
          const toolSend: typeof send = (command, payload, options) =>
            send(command, payload, { signal: ctx.mcpReq.signal, ...options });
          const result = await tool.run(args, {
            send: toolSend,
            listInstances: deps.listInstances,
            settings,
          });
          const wanted = (args as { snapshot?: boolean }).snapshot ?? settings.snapshotAfterActions;
          if (!tool.action || !wanted || result.isError) return result;
          return withSnapshot(result, await toolSend('snapshot.accessibility', { mode: 'scaffold' }));
        }),
    );
  }
}
