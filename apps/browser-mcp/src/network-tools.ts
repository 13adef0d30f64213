import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import { commandFor, type NetworkRequestDetail, type NetworkRequestSummary } from '@ports/browser-protocol';
import { z } from 'zod';
import { BrowserMcpError } from './errors.js';
import { requestsText, requestText } from './network-text.js';
import { interpretReply } from './replies.js';
import type { SendCommand } from './tools.js';

/** A regular expression a model gave, or the tool error that says what is wrong with it. */
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

/** Registers `browser_network_requests` and `browser_network_request`. */
export function registerNetworkTools(
  server: McpServer,
  send: SendCommand,
  guard: (run: () => Promise<CallToolResult>) => Promise<CallToolResult>,
): void {
  server.registerTool(
    'browser_network_requests',
    {
      description:
        'List the requests the current page made since it was loaded: index, method, URL, status and resource type. ' +
        'Images, fonts, scripts and styles are left out unless static is true. Use an index with browser_network_request.',
      inputSchema: z.object({
        static: z.boolean().optional().describe('Also list images, fonts, scripts and styles'),
        filter: z.string().optional().describe('A regular expression the URL must match, e.g. "/api/"'),
      }),
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (args, ctx) =>
      guard(async () => {
        checkFilter(args.filter);
        const { type, payload } = commandFor('browser_network_requests', args);
        const reply = await send(type, payload, { signal: ctx.mcpReq.signal });
        interpretReply(type, reply);
        const requests = (reply as { requests?: NetworkRequestSummary[] }).requests ?? [];
        return { content: [{ type: 'text', text: requestsText(requests, args.static === true) }] };
      }),
  );

  server.registerTool(
    'browser_network_request',
    {
      description:
        'Show one request of the current page in full: request and response headers, and both bodies (long ones are cut, and say so). ' +
        'The index comes from browser_network_requests.',
      inputSchema: z.object({
        index: z.number().int().min(0).describe('The request’s index in browser_network_requests'),
      }),
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (args, ctx) =>
      guard(async () => {
        const { type, payload } = commandFor('browser_network_request', args);
        const reply = await send(type, payload, { signal: ctx.mcpReq.signal });
        interpretReply(type, reply);
        return { content: [{ type: 'text', text: requestText(reply as NetworkRequestDetail) }] };
      }),
  );
}
