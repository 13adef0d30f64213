import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Bridge } from './bridge.js';
import { BrowserMcpError } from './errors.js';
import { formatInstancesJson, type ListInstances } from './instances.js';

/** What the tools need: the bridge to the extension and the registry's view of live instances. */
export interface ToolDependencies {
  readonly bridge: Pick<Bridge, 'send'>;
  readonly listInstances: ListInstances;
}

/** The longest `browser_wait` sleeps, so a model cannot park the server. */
export const MAX_WAIT_SECONDS = 30;

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
  'browser_get_console_logs',
  'browser_screenshot',
  'browser_instances',
] as const;

const element = z
  .string()
  .min(1)
  .describe('Human-readable description of the element, e.g. "Sign in button"; used in logs and errors');
const ref = z
  .string()
  .min(1)
  .describe('Exact element reference from the latest browser_snapshot, e.g. "s1e23"');
const target = { element, ref };

/**
 * Payload the extension returns for `screenshot.capture`: the image as base64 (no `data:` prefix)
 * and its type (PNG when absent).
 */
export const screenshotPayload = z.object({
  data: z.string().min(1),
  mimeType: z.enum(['image/png', 'image/jpeg', 'image/webp']).default('image/png'),
});

/** A tool that forwards its arguments to one extension command. */
interface CommandTool {
  readonly name: (typeof TOOL_NAMES)[number];
  readonly command: string;
  readonly description: string;
  readonly input: z.ZodObject;
  readonly readOnly?: boolean;
}

const commandTools: readonly CommandTool[] = [
  {
    name: 'browser_navigate',
    command: 'page.navigate',
    description: 'Navigate the current browser tab to a URL and wait for it to load.',
    input: z.object({ url: z.url().describe('Absolute URL to open, e.g. "https://example.com"') }),
  },
  {
    name: 'browser_go_back',
    command: 'page.goBack',
    description: 'Go back to the previous page in the current tab’s history.',
    input: z.object({}),
  },
  {
    name: 'browser_go_forward',
    command: 'page.goForward',
    description: 'Go forward to the next page in the current tab’s history.',
    input: z.object({}),
  },
  {
    name: 'browser_snapshot',
    command: 'snapshot.accessibility',
    description:
      'Capture an accessibility snapshot of the current page: its structure, text and the element refs ' +
      'that browser_click, browser_hover, browser_type and browser_select_option need. Take one before acting on a page.',
    input: z.object({}),
    readOnly: true,
  },
  {
    name: 'browser_click',
    command: 'dom.click',
    description: 'Click an element of the page, identified by its ref from browser_snapshot.',
    input: z.object(target),
  },
  {
    name: 'browser_hover',
    command: 'dom.hover',
    description: 'Move the mouse over an element of the page, identified by its ref from browser_snapshot.',
    input: z.object(target),
  },
  {
    name: 'browser_type',
    command: 'dom.type',
    description:
      'Type text into an editable element (input, textarea, contenteditable), optionally pressing Enter after.',
    input: z.object({
      ...target,
      text: z.string().describe('Text to type into the element'),
      submit: z.boolean().default(false).describe('Press Enter after typing, e.g. to submit a search form'),
    }),
  },
  {
    name: 'browser_select_option',
    command: 'dom.select',
    description: 'Select one or more options of a <select> element, by their values or visible labels.',
    input: z.object({
      ...target,
      values: z.array(z.string()).min(1).describe('Values or labels of the options to select'),
    }),
  },
  {
    name: 'browser_press_key',
    command: 'keyboard.press',
    description: 'Press a key on the keyboard in the current tab.',
    input: z.object({
      key: z
        .string()
        .min(1)
        .describe('Key name such as "Enter", "ArrowLeft", "Escape" or a single character such as "a"'),
    }),
  },
  {
    name: 'browser_get_console_logs',
    command: 'console.get',
    description: 'Get the console messages (logs, warnings, errors) the current page has printed.',
    input: z.object({}),
    readOnly: true,
  },
];

/**
 * Registers the browser tools on `server`. Every failure (no extension, timeout, extension error)
 * becomes an `isError: true` result whose text says what to do; no tool waits longer than the
 * bridge's command timeout.
 *
 * @example
 * ```ts
 * const server = new McpServer({ name: 'browser-mcp', version });
 * registerBrowserTools(server, { bridge, listInstances: async () => [] });
 * ```
 */
export function registerBrowserTools(server: McpServer, deps: ToolDependencies): void {
  for (const tool of commandTools) {
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: tool.readOnly ?? false, openWorldHint: true },
      },
      async (args: Record<string, unknown>, ctx) =>
        guard(async () =>
          textResult(await deps.bridge.send(tool.command, args, { signal: ctx.mcpReq.signal })),
        ),
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
    'browser_screenshot',
    {
      description: 'Take a screenshot of the visible part of the current tab and return it as an image.',
      inputSchema: z.object({}),
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (_args, ctx) =>
      guard(async () => {
        const payload = await deps.bridge.send('screenshot.capture', {}, { signal: ctx.mcpReq.signal });
        const parsed = screenshotPayload.safeParse(payload);
        if (!parsed.success) {
          throw new BrowserMcpError(
            'EBADPAYLOAD',
            'The browser extension answered screenshot.capture without an image ({ data: <base64>, mimeType }). ' +
              'Update the extension and try again.',
          );
        }
        return { content: [{ type: 'image', data: parsed.data.data, mimeType: parsed.data.mimeType }] };
      }),
  );

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

/**
 * Turns an extension reply into text a model can read: a snapshot or `text` field as is,
 * console logs one per line, anything else as JSON.
 */
export function textResult(payload: unknown): CallToolResult {
  return { content: [{ type: 'text', text: describePayload(payload) }] };
}

function describePayload(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (typeof payload !== 'object' || payload === null) return JSON.stringify(payload) ?? 'Done.';
  const record = payload as Record<string, unknown>;
  if (typeof record.snapshot === 'string') {
    const header = [
      record.url && `- Page URL: ${record.url}`,
      record.title && `- Page Title: ${record.title}`,
    ]
      .filter(Boolean)
      .join('\n');
    return header ? `${header}\n${record.snapshot}` : record.snapshot;
  }
  if (typeof record.text === 'string') return record.text;
  if (Array.isArray(record.logs)) {
    if (record.logs.length === 0) return 'No console messages.';
    return record.logs.map(describeLog).join('\n');
  }
  return Object.keys(record).length === 0 ? 'Done.' : JSON.stringify(record, null, 2);
}

function describeLog(entry: unknown): string {
  if (typeof entry !== 'object' || entry === null) return String(entry);
  const { level, type, text, message } = entry as Record<string, unknown>;
  return `[${String(level ?? type ?? 'log')}] ${String(text ?? message ?? JSON.stringify(entry))}`;
}
