import { TOOL_COMMANDS } from '@ports/browser-protocol';
import { z } from 'zod';
import { BrowserMcpError } from '../errors.js';
import { requestsText, requestText } from '../network-text.js';
import { defineTool, textResult } from './kit.js';

/** Throws `EBADARGS` naming the problem when `filter` is not a valid regular expression. */
function checkFilter(filter: string | undefined): void {
  if (filter === undefined) return;
  try {
    new RegExp(filter);
  } catch (error) {
    throw new BrowserMcpError(
      'EBADARGS',
      `filter ${JSON.stringify(filter)} is not a valid regular expression: ${(error as Error).message}. Fix it or leave filter out.`,
    );
  }
}

export const networkRequests = defineTool({
  name: 'browser_network_requests',
  description:
    'List the requests the current page (iframes included) made since it was loaded: index, method, URL, status and resource type. ' +
    'Images, fonts, scripts and styles are left out unless static is true. Use an index with browser_network_request.',
  input: z.object({
    static: z.boolean().optional().describe('Also list images, fonts, scripts and styles'),
    filter: z.string().optional().describe('A regular expression the URL must match, e.g. "/api/"'),
  }),
  readOnly: true,
  run: async (args, { send }) => {
    checkFilter(args.filter);
    const { requests } = await send(TOOL_COMMANDS.browser_network_requests, args);
    return textResult(requestsText(requests, args.static === true));
  },
});

export const networkRequest = defineTool({
  name: 'browser_network_request',
  description:
    'Show one request of the current page in full: request and response headers, and both bodies (long ones are cut, and say so). ' +
    'The index comes from browser_network_requests.',
  input: z.object({
    index: z.number().int().min(0).describe('The request’s index in browser_network_requests'),
  }),
  readOnly: true,
  run: async (args, { send }) =>
    textResult(requestText(await send(TOOL_COMMANDS.browser_network_request, args))),
});
