import { describe, expect, it } from 'vitest';
import { connectExtension, connectGreetedExtension, httpRequest } from './fake-extension.js';
import { startServer, text } from './mcp-server.js';

const ALL_TOOLS = [
  'browser_click',
  'browser_drag',
  'browser_evaluate',
  'browser_file_upload',
  'browser_fill_form',
  'browser_get_console_logs',
  'browser_go_back',
  'browser_go_forward',
  'browser_handle_dialog',
  'browser_hover',
  'browser_instances',
  'browser_mouse_click_xy',
  'browser_navigate',
  'browser_press_key',
  'browser_resize',
  'browser_screenshot',
  'browser_select_option',
  'browser_snapshot',
  'browser_tabs',
  'browser_type',
  'browser_wait',
  'browser_wait_for',
];

describe('browser-mcp over MCP stdio', () => {
  it('initializes and lists all 22 tools with input schemas', async () => {
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
    await using extension = await connectGreetedExtension(server.port);

    const navigating = server.client.callTool({
      name: 'browser_navigate',
      arguments: { url: 'https://example.com/' },
    });
    const command = await extension.nextCommand();
    expect(command).toEqual({
      id: expect.any(Number),
      type: 'browser_navigate',
      payload: { url: 'https://example.com/' },
      instanceId: 'round-trip',
    });
    extension.reply(command, { url: 'https://example.com/', title: 'Example Domain' });
    const result = await navigating;
    expect(result.isError).toBeFalsy();
    expect(text(result)).toBe('- Page URL: https://example.com/\n- Page Title: Example Domain');

    const typing = server.client.callTool({
      name: 'browser_type',
      arguments: { element: 'Search box', ref: 's1e4', text: 'ports', submit: true },
    });
    const typed = await extension.nextCommand();
    expect(typed).toMatchObject({
      type: 'dom.type',
      payload: { element: 'Search box', ref: 's1e4', text: 'ports', submit: true },
    });
    extension.fail(typed, 'element s1e4 is not editable');
    const failed = await typing;
    expect(failed.isError).toBe(true);
    expect(text(failed)).toContain('element s1e4 is not editable');
  });

  it('answers isError naming the port, after --connect-timeout, when no extension is connected', async () => {
    await using server = await startServer(['--connect-timeout', '300']);
    const result = await server.client.callTool({ name: 'browser_snapshot', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain(`port ${server.port}`);
    expect(text(result)).toContain('within 300 ms');
    expect(text(result)).toContain('Open the browser');
    expect(text(result)).toContain('run `browser-mcp pair`');
  });

  it('answers isError when the extension does not answer within --command-timeout', async () => {
    await using server = await startServer(['--command-timeout', '200']);
    await using extension = await connectGreetedExtension(server.port);
    const result = await server.client.callTool({ name: 'browser_snapshot', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain("did not answer 'snapshot.accessibility' within 200 ms");
    expect((await extension.nextCommand()).type).toBe('snapshot.accessibility');
    // A navigation gets 5 s more: the extension bounds page loads itself and names the page.
    const navigating = await server.client.callTool({ name: 'browser_go_back', arguments: {} });
    expect(text(navigating)).toContain("did not answer 'browser_go_back' within 5200 ms");
  });

  it('refuses web origins and serves discovery on the allocated port', async () => {
    await using server = await startServer([], 'discovery');
    await expect(connectExtension(server.port, 'https://example.com')).rejects.toMatchObject({ status: 403 });
    expect((await httpRequest(server.port, { origin: 'https://example.com' })).status).toBe(403);
    expect((await httpRequest(server.port, { method: 'HEAD' })).status).toBe(200);

    await using extension = await connectExtension(server.port, 'chrome-extension://abc');
    expect(await extension.hello()).toMatchObject({
      type: 'helloAck',
      instanceId: 'discovery',
      port: server.port,
    });
    extension.send({ type: 'portListRequest' });
    const list = await extension.next<{ type: string; ports: number[] }>(
      (m) => m.type === 'portListResponse',
    );
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
