import { LIMITS, TOOL_COMMANDS } from '@ports/browser-protocol';
import { z } from 'zod';
import { navigationText, tabsText } from '../reply-text.js';
import { defineTool, textResult } from './kit.js';

/** Commands that wait for a page load get this much beyond the command timeout: the extension's own error, naming the page, arrives first. */
const loads = { extraTimeoutMs: LIMITS.navigationMarginMs };

/** The `browser_navigate` tool (its description is what a model reads). */
export const navigate = defineTool({
  action: true,
  name: 'browser_navigate',
  description: 'Navigate the current browser tab to a URL and wait for it to load.',
  input: z.object({ url: z.url().describe('Absolute URL to open, e.g. "https://example.com"') }),
  run: async ({ url }, { send }) =>
    textResult(navigationText(await send(TOOL_COMMANDS.browser_navigate, { url }, loads))),
});

/** The `browser_go_back` tool (its description is what a model reads). */
export const goBack = defineTool({
  action: true,
  name: 'browser_go_back',
  description: 'Go back to the previous page in the current tab’s history.',
  input: z.object({}),
  run: async (_args, { send }) =>
    textResult(navigationText(await send(TOOL_COMMANDS.browser_go_back, {}, loads))),
});

/** The `browser_go_forward` tool (its description is what a model reads). */
export const goForward = defineTool({
  action: true,
  name: 'browser_go_forward',
  description: 'Go forward to the next page in the current tab’s history.',
  input: z.object({}),
  run: async (_args, { send }) =>
    textResult(navigationText(await send(TOOL_COMMANDS.browser_go_forward, {}, loads))),
});

/** The `browser_tabs` tool (its description is what a model reads). */
export const tabs = defineTool({
  name: 'browser_tabs',
  description:
    'List, open, select or close the tabs of this session (only its own tabs, never the user’s others). ' +
    'Indexes come from action "list".',
  input: z.object({
    action: z.enum(['list', 'new', 'select', 'close']).describe('What to do'),
    index: z.number().int().min(0).optional().describe('Tab index for "select" and "close"'),
    url: z.url().optional().describe('Page to open in the new tab, for "new"'),
  }),
  run: async (args, { send }) => {
    // A new tab opened on a URL waits for that page's load too.
    const reply = await send(TOOL_COMMANDS.browser_tabs, args, args.url !== undefined ? loads : {});
    return textResult(tabsText(reply));
  },
});
