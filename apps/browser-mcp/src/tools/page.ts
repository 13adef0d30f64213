import { setTimeout as sleep } from 'node:timers/promises';
import { CONSOLE_LEVELS, LIMITS, TOOL_COMMANDS } from '@ports/browser-protocol';
import { z } from 'zod';
import { BrowserMcpError } from '../errors.js';
import { formatInstancesJson } from '../instances.js';
import { consoleText, snapshotText } from '../reply-text.js';
import { defineTool, textResult } from './kit.js';

/** The longest `browser_wait` and `browser_wait_for` wait, so a model cannot park the server. */
export const MAX_WAIT_SECONDS = LIMITS.maxWaitMs / 1000;

/** The `browser_snapshot` tool (its description is what a model reads). */
export const snapshot = defineTool({
  name: 'browser_snapshot',
  description:
    'Capture an accessibility snapshot of the current page, iframes included: its structure, text and the element refs ' +
    'that the other tools (click, hover, type, select, fill_form, drag, evaluate, screenshot) need. Take one before acting on a page. ' +
    'Give ref to see only the part under one element (refs handed out before stay valid), and depth to cap how deep it goes.',
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
  run: async (args, { send }) =>
    textResult(snapshotText(await send(TOOL_COMMANDS.browser_snapshot, { mode: 'scaffold', ...args }))),
});

/** The `browser_get_console_logs` tool (its description is what a model reads). */
export const consoleLogs = defineTool({
  name: 'browser_get_console_logs',
  description:
    'Get the console messages (logs, warnings, errors, uncaught exceptions, dialogs) the current page printed since it loaded; ' +
    'with level, only those at that level or above.',
  input: z.object({
    level: z
      .enum(CONSOLE_LEVELS)
      .optional()
      .describe('Only messages at this level or above: debug < info < warning < error'),
  }),
  readOnly: true,
  run: async (args, { send }) =>
    textResult(consoleText((await send(TOOL_COMMANDS.browser_get_console_logs, args)).logs)),
});

/** The `browser_wait` tool (its description is what a model reads). */
export const wait = defineTool({
  name: 'browser_wait',
  description: `Wait for a number of seconds (at most ${MAX_WAIT_SECONDS}), e.g. for a page to finish updating.`,
  input: z.object({
    seconds: z.number().min(0).describe(`Seconds to wait; values above ${MAX_WAIT_SECONDS} are capped`),
  }),
  readOnly: true,
  openWorld: false,
  run: async ({ seconds }) => {
    const waited = Math.min(seconds, MAX_WAIT_SECONDS);
    try {
      await sleep(waited * 1000, undefined);
    } catch (error) {
      throw new BrowserMcpError('EABORTED', 'The wait was cancelled.', { cause: error });
    }
    const capped = waited < seconds ? ` (capped from ${seconds})` : '';
    return textResult(`Waited ${waited} seconds${capped}.`);
  },
});

/** The `browser_wait_for` tool (its description is what a model reads). */
export const waitFor = defineTool({
  name: 'browser_wait_for',
  description: `Wait until a text appears on the page (iframes included) or disappears from it, or for a number of seconds; at most ${MAX_WAIT_SECONDS} s.`,
  input: z
    .object({
      text: z.string().min(1).optional().describe('Wait until this text is on the page'),
      textGone: z.string().min(1).optional().describe('Wait until this text is gone from the page'),
      time: z.number().min(0).optional().describe(`Seconds to wait (capped at ${MAX_WAIT_SECONDS})`),
    })
    .refine((args) => args.text !== undefined || args.textGone !== undefined || args.time !== undefined, {
      message: 'Give text, textGone or time.',
    }),
  readOnly: true,
  run: async (args, { send }) => {
    const time = args.time !== undefined ? Math.min(args.time, MAX_WAIT_SECONDS) : undefined;
    const timeoutMs = (time ?? MAX_WAIT_SECONDS) * 1000;
    const reply = await send(
      TOOL_COMMANDS.browser_wait_for,
      { ...args, ...(time !== undefined ? { time } : {}), timeoutMs },
      { timeoutMs: timeoutMs + LIMITS.waitForMarginMs },
    );
    return textResult(reply.text ?? `Waited ${reply.waitedMs} ms.`);
  },
});

/** The `browser_screenshot` tool (its description is what a model reads). */
export const screenshot = defineTool({
  name: 'browser_screenshot',
  description:
    'Take a screenshot of the current tab and return it as an image: the visible viewport, the whole page ' +
    '(fullPage), or one element (element and ref), as PNG or JPEG.',
  input: z
    .object({
      type: z.enum(['png', 'jpeg']).optional().describe('Image format, "png" by default'),
      fullPage: z.boolean().optional().describe('The whole scrollable page instead of the viewport'),
      element: z.string().min(1).optional().describe('Human-readable description of the element to capture'),
      ref: z.string().min(1).optional().describe('Exact element reference from the latest browser_snapshot'),
    })
    .refine((args) => (args.element === undefined) === (args.ref === undefined), {
      message: 'Give element and ref together, or neither.',
    })
    .refine((args) => !(args.fullPage && args.ref !== undefined), {
      message: 'fullPage and an element cannot be combined: give one.',
    }),
  readOnly: true,
  run: async (args, { send }) => {
    const image = await send(TOOL_COMMANDS.browser_screenshot, args);
    return { content: [{ type: 'image', data: image.data, mimeType: image.mimeType }] };
  },
});

/** The `browser_instances` tool (its description is what a model reads). */
export const instances = defineTool({
  name: 'browser_instances',
  description:
    'List the live browser-mcp server instances on this machine (port, instance id, pid, uptime), ' +
    'e.g. to tell the user which port to connect the browser extension to.',
  input: z.object({}),
  readOnly: true,
  openWorld: false,
  run: async (_args, { listInstances }) => textResult(formatInstancesJson(await listInstances())),
});
