import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import { CONSOLE_LEVELS, type CommandToolName, type CommandType, commandFor } from '@ports/browser-protocol';
import { z } from 'zod';
import type { SendOptions } from './bridge.js';
import { BrowserMcpError } from './errors.js';
import { formatInstancesJson, type ListInstances } from './instances.js';
import { registerNetworkTools } from './network-tools.js';
import { interpretReply, withHint } from './replies.js';
import { readScreenshot } from './screenshot.js';

/** Sends one command to the extension and resolves with its reply's payload (see `Bridge.send`). */
export type SendCommand = (
  command: CommandType,
  payload: Readonly<Record<string, unknown>>,
  options?: SendOptions,
) => Promise<unknown>;

/** What the tools need: a way to reach the extension and the registry's view of live instances. */
export interface ToolDependencies {
  readonly send: SendCommand;
  readonly listInstances: ListInstances;
  /** Every action's reply ends with a snapshot (`--snapshot-after-actions`). */
  readonly snapshotAfterActions?: boolean;
}

/** The longest `browser_wait` and `browser_wait_for` wait, so a model cannot park the server. */
export const MAX_WAIT_SECONDS = 30;

/** Extra time the extension gets beyond a `browser_wait_for` wait to answer. */
const WAIT_FOR_MARGIN_MS = 5_000;

/**
 * Navigate, back and forward wait for a page load, which the extension gives up on after 30 s
 * with an error naming the page: they get this much more than the command timeout, so that error
 * is the one the model sees.
 */
export const NAVIGATION_MARGIN_MS = 5_000;

const NAVIGATIONS: ReadonlySet<string> = new Set([
  'browser_navigate',
  'browser_go_back',
  'browser_go_forward',
]);

/** Names of every tool {@link registerBrowserTools} registers. */
export const TOOL_NAMES = [
  'browser_navigate',
  'browser_go_back',
  'browser_go_forward',
  'browser_snapshot',
  'browser_click',
  'browser_hover',
  'browser_type',
  'browser_select_option',
  'browser_press_key',
  'browser_wait',
  'browser_wait_for',
  'browser_get_console_logs',
  'browser_screenshot',
  'browser_tabs',
  'browser_network_requests',
  'browser_network_request',
  'browser_instances',
] as const;

/** Tools that act on the page: their reply says what changed, and ends with a snapshot on request. */
const ACTIONS: ReadonlySet<string> = new Set([
  'browser_navigate',
  'browser_go_back',
  'browser_go_forward',
  'browser_click',
  'browser_hover',
  'browser_type',
  'browser_select_option',
  'browser_press_key',
]);

const snapshotAfter = {
  snapshot: z
    .boolean()
    .optional()
    .describe('Also return a snapshot of the page after the action (the reply already says what changed)'),
};

const element = z
  .string()
  .min(1)
  .describe('Human-readable description of the element, e.g. "Sign in button"; used in logs and errors');
const ref = z
  .string()
  .min(1)
  .describe('Exact element reference from the latest browser_snapshot, e.g. "e23"');
const target = { element, ref };

/** A tool whose arguments go to one extension command and whose reply is read as text. */
interface CommandTool {
  readonly name: Exclude<
    CommandToolName,
    'browser_screenshot' | 'browser_wait_for' | 'browser_network_requests' | 'browser_network_request'
  >;
  readonly description: string;
  readonly input: z.ZodObject;
  readonly readOnly?: boolean;
}

const commandTools: readonly CommandTool[] = [
  {
    name: 'browser_navigate',
    description: 'Navigate the current browser tab to a URL and wait for it to load.',
    input: z.object({
      url: z.url().describe('Absolute URL to open, e.g. "https://example.com"'),
      ...snapshotAfter,
    }),
  },
  {
    name: 'browser_go_back',
    description: 'Go back to the previous page in the current tab’s history.',
    input: z.object(snapshotAfter),
  },
  {
    name: 'browser_go_forward',
    description: 'Go forward to the next page in the current tab’s history.',
    input: z.object(snapshotAfter),
  },
  {
    name: 'browser_snapshot',
    description:
      'Capture an accessibility snapshot of the current page, iframes included: its structure, text and the element refs ' +
      'that browser_click, browser_hover, browser_type and browser_select_option need. Take one before acting on a page. ' +
      'Give ref to see only the part under one element, and depth to cap how deep it goes.',
    input: z.object({
      ref: z
        .string()
        .min(1)
        .optional()
        .describe('Only the part of the page under this element: a ref from the latest snapshot'),
      depth: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe('At most this many levels below the top (or ref); a line ending in … has more below'),
    }),
    readOnly: true,
  },
  {
    name: 'browser_click',
    description: 'Click an element of the page, identified by its ref from browser_snapshot.',
    input: z.object({ ...target, ...snapshotAfter }),
  },
  {
    name: 'browser_hover',
    description: 'Move the mouse over an element of the page, identified by its ref from browser_snapshot.',
    input: z.object({ ...target, ...snapshotAfter }),
  },
  {
    name: 'browser_type',
    description:
      'Type text into an editable element (input, textarea, contenteditable), optionally pressing Enter after.',
    input: z.object({
      ...target,
      text: z.string().describe('Text to type into the element'),
      submit: z.boolean().default(false).describe('Press Enter after typing, e.g. to submit a search form'),
      ...snapshotAfter,
    }),
  },
  {
    name: 'browser_select_option',
    description: 'Select one or more options of a <select> element, by their values or visible labels.',
    input: z.object({
      ...target,
      values: z.array(z.string()).min(1).describe('Values or labels of the options to select'),
      ...snapshotAfter,
    }),
  },
  {
    name: 'browser_press_key',
    description: 'Press a key on the keyboard in the current tab.',
    input: z.object({
      key: z
        .string()
        .min(1)
        .describe(
          'Key name such as "Enter", "ArrowDown", "Escape", "Tab", a single character such as "a", ' +
            'or a combination such as "Control+a" or "Shift+Tab"',
        ),
      ...snapshotAfter,
    }),
  },
  {
    name: 'browser_get_console_logs',
    description:
      'Get the console messages (logs, warnings, errors, uncaught exceptions) the current page printed since it loaded; ' +
      'with level, only those at that level or above.',
    input: z.object({
      level: z
        .enum(CONSOLE_LEVELS)
        .optional()
        .describe('Only messages at this level or above: debug < info < warning < error'),
    }),
    readOnly: true,
  },
  {
    name: 'browser_tabs',
    description:
      'List, open, select or close the tabs of this session (only its own tabs, never the user’s others). ' +
      'Indexes come from action "list".',
    input: z.object({
      action: z.enum(['list', 'new', 'select', 'close']).describe('What to do'),
      index: z.number().int().min(0).optional().describe('Tab index for "select" and "close"'),
      url: z.url().optional().describe('Page to open in the new tab, for "new"'),
    }),
  },
];

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
  // Every extension error reply, whichever tool sent it, also says what to try.
  const send: SendCommand = (type, payload, options) => withHint(type, deps.send(type, payload, options));
  for (const tool of commandTools) {
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: tool.readOnly ?? false, openWorldHint: true },
      },
      async (args: Record<string, unknown>, ctx) =>
        guard(async () => {
          const { snapshot: wantsSnapshot, ...rest } = args;
          const { type, payload } = commandFor(tool.name, rest);
          // A new tab opened on a URL waits for that page's load too.
          const loads =
            NAVIGATIONS.has(tool.name) || (tool.name === 'browser_tabs' && args.url !== undefined);
          const extraTimeoutMs = loads ? NAVIGATION_MARGIN_MS : 0;
          const result = interpretReply(
            type,
            await send(type, payload, { signal: ctx.mcpReq.signal, extraTimeoutMs }),
          );
          if (!ACTIONS.has(tool.name) || (wantsSnapshot !== true && deps.snapshotAfterActions !== true))
            return result;
          const snapshot = commandFor('browser_snapshot', {});
          const after = interpretReply(
            snapshot.type,
            await send(snapshot.type, snapshot.payload, { signal: ctx.mcpReq.signal }),
          );
          return { content: [...result.content, ...after.content] };
        }),
    );
  }

  server.registerTool(
    'browser_wait',
    {
      description: `Wait for a number of seconds (at most ${MAX_WAIT_SECONDS}), e.g. for a page to finish updating.`,
      inputSchema: z.object({
        seconds: z.number().min(0).describe(`Seconds to wait; values above ${MAX_WAIT_SECONDS} are capped`),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ seconds }, ctx) =>
      guard(async () => {
        const waited = Math.min(seconds, MAX_WAIT_SECONDS);
        try {
          await sleep(waited * 1000, undefined, { signal: ctx.mcpReq.signal });
        } catch (error) {
          throw new BrowserMcpError('EABORTED', 'The wait was cancelled.', { cause: error });
        }
        const capped = waited < seconds ? ` (capped from ${seconds})` : '';
        return { content: [{ type: 'text', text: `Waited ${waited} seconds${capped}.` }] };
      }),
  );

  server.registerTool(
    'browser_wait_for',
    {
      description: `Wait until a text appears on the page or disappears from it, or for a number of seconds; at most ${MAX_WAIT_SECONDS} s.`,
      inputSchema: z
        .object({
          text: z.string().min(1).optional().describe('Wait until this text is on the page'),
          textGone: z.string().min(1).optional().describe('Wait until this text is gone from the page'),
          time: z.number().min(0).optional().describe(`Seconds to wait (capped at ${MAX_WAIT_SECONDS})`),
        })
        .refine((args) => args.text !== undefined || args.textGone !== undefined || args.time !== undefined, {
          message: 'Give text, textGone or time.',
        }),
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (args, ctx) =>
      guard(async () => {
        const timeoutMs = Math.min(args.time ?? MAX_WAIT_SECONDS, MAX_WAIT_SECONDS) * 1000;
        const { type, payload } = commandFor('browser_wait_for', {
          ...args,
          ...(args.time !== undefined ? { time: Math.min(args.time, MAX_WAIT_SECONDS) } : {}),
          timeoutMs,
        });
        const reply = await send(type, payload, {
          signal: ctx.mcpReq.signal,
          timeoutMs: timeoutMs + WAIT_FOR_MARGIN_MS,
        });
        return interpretReply(type, reply);
      }),
  );

  server.registerTool(
    'browser_screenshot',
    {
      description: 'Take a screenshot of the visible part of the current tab and return it as an image.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (_args, ctx) =>
      guard(async () => {
        const { type, payload } = commandFor('browser_screenshot', {});
        const image = readScreenshot(await send(type, payload, { signal: ctx.mcpReq.signal }));
        return { content: [{ type: 'image', data: image.data, mimeType: image.mimeType }] };
      }),
  );

  registerNetworkTools(server, send, guard);

  server.registerTool(
    'browser_instances',
    {
      description:
        'List the live browser-mcp server instances on this machine (port, instance id, pid, uptime), ' +
        'e.g. to tell the user which port to connect the browser extension to.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () =>
      guard(async () => ({
        content: [{ type: 'text', text: formatInstancesJson(await deps.listInstances()) }],
      })),
  );
}

async function guard(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { isError: true, content: [{ type: 'text', text }] };
  }
}
