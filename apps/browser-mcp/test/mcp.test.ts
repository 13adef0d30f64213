import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { LineBuffer } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { connectExtension, findFreePortRange, httpRequest, testRegistry } from './fake-extension.js';

// End-to-end against the BUILT app: run `pnpm --filter @ports/browser-mcp build` first.
const bin = fileURLToPath(new URL('../bin/browser-mcp.js', import.meta.url));

const ALL_TOOLS = [
  'browser_click',
  'browser_get_console_logs',
  'browser_go_back',
  'browser_go_forward',
  'browser_hover',
  'browser_instances',
  'browser_navigate',
  'browser_press_key',
  'browser_screenshot',
  'browser_select_option',
  'browser_snapshot',
  'browser_type',
  'browser_wait',
];

interface Started extends AsyncDisposable {
  readonly client: Client;
  readonly port: number;
  readonly stderr: LineBuffer;
}

/** Spawns the built server through the SDK's stdio client, as an AI client would. */
async function startServer(args: readonly string[] = [], instanceId = 'e2e'): Promise<Started> {
  const range = await findFreePortRange(3);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, '--ports', `${range.start}-${range.end}`, ...args],
    env: { ...getDefaultEnvironment(), MCP_INSTANCE_ID: instanceId, BROWSER_MCP_REGISTRY: testRegistry() },
    stderr: 'pipe',
  });
  // stderr: 'pipe' makes the transport expose a PassThrough at once, before the child starts.
  const stderr = new LineBuffer(transport.stderr as Readable);
  const client = new Client({ name: 'browser-mcp-e2e', version: '1.0.0' });
  const dispose = async (): Promise<void> => {
    await client.close();
  };
  try {
    await client.connect(transport);
    const line = await stderr.waitFor(/listening on 127\.0\.0\.1:\d+ as /);
    const port = Number(/:(\d+) as /.exec(line)?.[1]);
    expect(port).toBeGreaterThanOrEqual(range.start);
    expect(port).toBeLessThanOrEqual(range.end);
    return { client, port, stderr, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  const content = result.content as { type: string; text?: string }[];
  return content.map((part) => part.text ?? '').join('\n');
}

describe('browser-mcp over MCP stdio', () => {
  it('initializes and lists all 13 tools with input schemas', async () => {
    await using server = await startServer();
    expect(server.client.getServerVersion()).toMatchObject({ name: 'browser-mcp' });
    const { tools } = await server.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS);
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(20);
      expect(tool.inputSchema.type, tool.name).toBe('object');
    }
    const byName = new Map(tools.map((tool) => [tool.name, tool.inputSchema]));
    expect(byName.get('browser_navigate')?.required).toEqual(['url']);
    expect(byName.get('browser_type')?.required).toEqual(expect.arrayContaining(['element', 'ref', 'text']));
    expect(byName.get('browser_select_option')?.required).toEqual(
      expect.arrayContaining(['element', 'ref', 'values']),
    );
    expect(byName.get('browser_press_key')?.required).toEqual(['key']);
    expect(byName.get('browser_wait')?.required).toEqual(['seconds']);
  });

  it('round-trips a tool call through a WebSocket client playing the extension', async () => {
    await using server = await startServer([], 'round-trip');
    await using extension = await connectExtension(server.port, 'chrome-extension://test');

    const navigating = server.client.callTool({
      name: 'browser_navigate',
      arguments: { url: 'https://example.com/' },
    });
    const command = await extension.nextCommand();
    expect(command).toEqual({
      id: expect.any(Number),
      type: 'page.navigate',
      payload: { url: 'https://example.com/' },
      instanceId: 'round-trip',
    });
    extension.send({
      id: command.id,
      type: 'page.navigate',
      payload: { text: 'Navigated to Example Domain' },
    });
    const result = await navigating;
    expect(result.isError).toBeFalsy();
    expect(text(result)).toBe('Navigated to Example Domain');

    const typing = server.client.callTool({
      name: 'browser_type',
      arguments: { element: 'Search box', ref: 's1e4', text: 'ports', submit: true },
    });
    const typed = await extension.nextCommand();
    expect(typed).toMatchObject({
      type: 'dom.type',
      payload: { element: 'Search box', ref: 's1e4', text: 'ports', submit: true },
    });
    extension.send({ id: typed.id, error: 'element s1e4 is not editable' });
    const failed = await typing;
    expect(failed.isError).toBe(true);
    expect(text(failed)).toContain('element s1e4 is not editable');

    const shooting = server.client.callTool({ name: 'browser_screenshot', arguments: {} });
    const shot = await extension.nextCommand();
    expect(shot.type).toBe('screenshot.capture');
    extension.send({ id: shot.id, payload: { data: 'iVBORw0KGgo=', mimeType: 'image/png' } });
    expect((await shooting).content).toEqual([
      { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
    ]);
  });

  it('answers isError naming the port when no extension is connected', async () => {
    await using server = await startServer();
    const result = await server.client.callTool({ name: 'browser_snapshot', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain(`connect it to port ${server.port}`);
  });

  it('answers isError when the extension does not answer within --command-timeout', async () => {
    await using server = await startServer(['--command-timeout', '200']);
    await using extension = await connectExtension(server.port, 'chrome-extension://test');
    const result = await server.client.callTool({ name: 'browser_go_back', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("did not answer 'page.goBack' within 200 ms");
    expect((await extension.nextCommand()).type).toBe('page.goBack');
  });

  it('refuses web origins and serves discovery on the allocated port', async () => {
    await using server = await startServer([], 'discovery');
    await expect(connectExtension(server.port, 'https://example.com')).rejects.toMatchObject({ status: 403 });
    expect((await httpRequest(server.port, { origin: 'https://example.com' })).status).toBe(403);
    expect((await httpRequest(server.port, { method: 'HEAD' })).status).toBe(200);

    await using extension = await connectExtension(server.port, 'chrome-extension://abc');
    extension.send({ type: 'hello', wants: 'instanceId' });
    expect(await extension.next()).toEqual({ type: 'helloAck', instanceId: 'discovery', port: server.port });
    extension.send({ type: 'portListRequest' });
    const list = await extension.next<{ type: string; ports: number[] }>();
    expect(list.type).toBe('portListResponse');
    expect(list.ports).toContain(server.port);
  });

  it('waits on the server for browser_wait and rejects a negative wait', async () => {
    await using server = await startServer();
    const result = await server.client.callTool({ name: 'browser_wait', arguments: { seconds: 0.01 } });
    expect(text(result)).toBe('Waited 0.01 seconds.');
    const negative = await server.client.callTool({ name: 'browser_wait', arguments: { seconds: -1 } });
    expect(negative.isError).toBe(true);
  });
});
