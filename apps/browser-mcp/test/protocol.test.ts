import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { connectExtension, connectGreetedExtension, type ReplyShape } from './fake-extension.js';
import { startServer, text } from './mcp-server.js';

/** A 3×2 PNG, so a test can decode what the model gets back. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAYAAACddGYaAAAADklEQVR4nGM4gQQYkDkA89oSwaI+MosAAAAASUVORK5CYII=';

/** Each tool: its arguments, the command and payload the extension must get, a reply and the text it gives. */
const CASES = [
  {
    tool: 'browser_navigate',
    args: { url: 'https://example.com/' },
    type: 'browser_navigate',
    payload: { url: 'https://example.com/' },
    reply: { url: 'https://example.com/', title: 'Example Domain' },
    text: '- Page URL: https://example.com/\n- Page Title: Example Domain',
  },
  {
    tool: 'browser_go_back',
    args: {},
    type: 'browser_go_back',
    payload: {},
    reply: { url: 'https://a.test/', title: 'A' },
    text: '- Page URL: https://a.test/\n- Page Title: A',
  },
  {
    tool: 'browser_go_forward',
    args: {},
    type: 'browser_go_forward',
    payload: {},
    reply: { url: 'https://b.test/' },
    text: '- Page URL: https://b.test/',
  },
  {
    tool: 'browser_snapshot',
    args: {},
    type: 'snapshot.accessibility',
    payload: { mode: 'scaffold' },
    reply: { snapshot: '- button "OK" [ref=e1]', url: 'https://a.test/', title: 'A' },
    text: '- Page URL: https://a.test/\n- Page Title: A\n- button "OK" [ref=e1]',
  },
  {
    tool: 'browser_click',
    args: { element: 'OK button', ref: 'e1' },
    type: 'dom.click',
    payload: { element: 'OK button', ref: 'e1' },
    reply: { success: true, message: 'Clicked OK button' },
    text: 'Clicked OK button',
  },
  {
    tool: 'browser_hover',
    args: { element: 'Menu', ref: 'e2' },
    type: 'dom.hover',
    payload: { element: 'Menu', ref: 'e2' },
    reply: { success: true },
    text: 'Done.',
  },
  {
    tool: 'browser_type',
    args: { element: 'Search', ref: 'e3', text: 'ports', submit: true },
    type: 'dom.type',
    payload: { element: 'Search', ref: 'e3', text: 'ports', submit: true },
    reply: { success: true, message: 'Typed "ports"' },
    text: 'Typed "ports"',
  },
  {
    tool: 'browser_select_option',
    args: { element: 'Colour', ref: 'e4', values: ['red'] },
    type: 'dom.select',
    payload: { element: 'Colour', ref: 'e4', values: ['red'] },
    reply: { success: true, message: 'Selected red' },
    text: 'Selected red',
  },
  {
    tool: 'browser_press_key',
    args: { key: 'Control+a' },
    type: 'keyboard.press',
    payload: { key: 'Control+a' },
    reply: {},
    text: 'Done.',
  },
  {
    tool: 'browser_get_console_logs',
    args: {},
    type: 'console.get',
    payload: {},
    reply: {
      logs: [
        { type: 'log', args: ['hello', 42, { a: [1, 2] }] },
        { type: 'error', args: ['Uncaught TypeError: x is undefined'] },
        { level: 'warning', text: 'old shape' },
      ],
    },
    text: '[log] hello 42 {"a":[1,2]}\n[error] Uncaught TypeError: x is undefined\n[warning] old shape',
  },
  {
    tool: 'browser_tabs',
    args: { action: 'select', index: 1 },
    type: 'browser_tabs',
    payload: { action: 'select', index: 1 },
    reply: { text: 'Selected tab 1' },
    text: 'Selected tab 1',
  },
  {
    tool: 'browser_wait_for',
    args: { text: 'Ready', time: 60 },
    type: 'browser_wait_for',
    payload: { text: 'Ready', time: 30, timeoutMs: 30_000 },
    reply: { text: 'Found "Ready"' },
    text: 'Found "Ready"',
  },
] as const;

describe.each<ReplyShape>(['v1', 'wire'])('every tool, the extension replying in the %s shape', (shape) => {
  it('sends the command of the protocol table and reads the reply', async () => {
    await using server = await startServer([], `tools-${shape}`);
    await using extension = await connectGreetedExtension(server.port);
    for (const c of CASES) {
      const calling = server.client.callTool({ name: c.tool, arguments: c.args });
      const command = await extension.nextCommand();
      expect(command, c.tool).toEqual({
        id: expect.any(Number),
        type: c.type,
        payload: c.payload,
        instanceId: `tools-${shape}`,
      });
      extension.reply(command, c.reply, shape);
      const result = await calling;
      expect(result.isError, c.tool).toBeFalsy();
      expect(text(result), c.tool).toBe(c.text);
    }

    const shooting = server.client.callTool({ name: 'browser_screenshot', arguments: {} });
    const shot = await extension.nextCommand();
    expect(shot).toMatchObject({ type: 'browser_screenshot', payload: {} });
    extension.reply(shot, { dataUrl: `data:image/png;base64,${PNG_BASE64}` }, shape);
    expect((await shooting).content).toEqual([{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }]);

    const failing = server.client.callTool({
      name: 'browser_navigate',
      arguments: { url: 'https://x.test/' },
    });
    extension.fail(await extension.nextCommand(), 'Navigation timed out', shape);
    const failed = await failing;
    expect(failed.isError).toBe(true);
    expect(text(failed)).toContain('Navigation timed out');
    expect(server.stderr.text).not.toContain('ignored');
  });
});

describe('replies that report failure', () => {
  it.each([
    ['dom.click success: null', 'browser_click', { element: 'OK', ref: 'e1' }, { success: null }],
    [
      'dom.click success: false',
      'browser_click',
      { element: 'OK', ref: 'e1' },
      { success: false, message: 'covered by a dialog' },
    ],
    [
      'dom.type with an error field',
      'browser_type',
      { element: 'Name', ref: 'e2', text: 'x' },
      { error: 'not editable' },
    ],
    ['snapshot: null', 'browser_snapshot', {}, { snapshot: null }],
    ['snapshot missing', 'browser_snapshot', {}, { url: 'https://a.test/' }],
  ] as const)('%s is an error result saying what to try', async (_name, tool, args, reply) => {
    await using server = await startServer([], 'failures');
    await using extension = await connectGreetedExtension(server.port);
    const calling = server.client.callTool({ name: tool, arguments: args });
    extension.reply(await extension.nextCommand(), reply);
    const result = await calling;
    expect(result.isError).toBe(true);
    const said = text(result);
    expect(said).toMatch(/take a new browser_snapshot|Make sure the tab shows a normal web page/i);
    if ('message' in reply) expect(said).toContain(reply.message);
    if ('error' in reply) expect(said).toContain(reply.error);
  });
});

describe('error replies', () => {
  it('say what the extension said and what to try', async () => {
    await using server = await startServer([], 'error-hints');
    await using extension = await connectGreetedExtension(server.port);
    const clicking = server.client.callTool({
      name: 'browser_click',
      arguments: { element: 'OK', ref: 'e1' },
    });
    extension.fail(await extension.nextCommand(), 'Unknown message type', 'wire');
    const said = text(await clicking);
    expect(said).toContain('Unknown message type');
    expect(said).toContain('Take a new browser_snapshot and use a ref from it.');
    // An error with a code gets the hint of its code, whichever command failed.
    const snapping = server.client.callTool({ name: 'browser_snapshot', arguments: {} });
    const command = await extension.nextCommand();
    extension.send({
      id: command.id,
      error: 'Chrome does not let extensions control chrome:// pages',
      code: 'ERESTRICTED',
    });
    expect(text(await snapping)).toBe(
      "The browser extension failed 'snapshot.accessibility': Chrome does not let extensions control chrome:// pages. " +
        'Navigate the tab to a normal web page (http or https) with browser_navigate, then try again.',
    );
    // The hint is chosen by the code, never by the words: a stale ref says what to do even when its text mentions none.
    const typing = server.client.callTool({
      name: 'browser_type',
      arguments: { element: 'Name', ref: 's1e2', text: 'x' },
    });
    const typed = await extension.nextCommand();
    extension.send({ id: typed.id, error: 'Ref s1e2 (Name) is gone; try again', code: 'ESTALEREF' });
    expect(text(await typing)).toBe(
      "The browser extension failed 'dom.type': Ref s1e2 (Name) is gone; try again. Take a new browser_snapshot and use a ref from it.",
    );
  });
});

describe('browser_screenshot', () => {
  it.each([
    ['{dataUrl}', { dataUrl: `data:image/png;base64,${PNG_BASE64}` }],
    ['{data: "data:…"}', { data: `data:image/png;base64,${PNG_BASE64}` }],
    ['{data, mimeType} with bare base64', { data: PNG_BASE64, mimeType: 'image/png' }],
    ['{data} with bare base64 and no type', { data: PNG_BASE64 }],
  ])('returns valid MCP image content for %s', async (_name, reply) => {
    await using server = await startServer([], 'shots');
    await using extension = await connectGreetedExtension(server.port);
    const shooting = server.client.callTool({ name: 'browser_screenshot', arguments: {} });
    extension.reply(await extension.nextCommand(), reply, 'wire');
    const result = await shooting;
    expect(result.isError).toBeFalsy();
    const [image] = result.content as { type: string; data: string; mimeType: string }[];
    expect(image?.type).toBe('image');
    expect(image?.mimeType).toBe('image/png');
    const bytes = Buffer.from(image?.data ?? '', 'base64');
    expect(bytes.toString('base64')).toBe(image?.data);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(3); // width from IHDR
    expect(bytes.readUInt32BE(20)).toBe(2); // height
    const idat = bytes.indexOf('IDAT', 0, 'latin1');
    expect(inflateSync(bytes.subarray(idat + 4, idat + 4 + bytes.readUInt32BE(idat - 4))).length).toBe(
      2 * (1 + 3 * 4),
    );
  });

  it.each([
    ['no image at all', { ok: true }],
    ['a data URL of text', { dataUrl: 'data:text/plain;base64,aGk=' }],
    ['not base64', { data: '<html>not an image</html>', mimeType: 'image/png' }],
  ])('is a clear tool error for %s', async (_name, reply) => {
    await using server = await startServer([], 'bad-shots');
    await using extension = await connectGreetedExtension(server.port);
    const shooting = server.client.callTool({ name: 'browser_screenshot', arguments: {} });
    extension.reply(await extension.nextCommand(), reply);
    const result = await shooting;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('without a usable image');
  });
});

describe('the active connection', () => {
  it('stays the hello’d extension while a socket that never says hello connects', async () => {
    await using server = await startServer([], 'legacy-socket');
    await using real = await connectGreetedExtension(server.port);
    // The older extension's single-instance mode keeps reconnecting without hello.
    await using legacy = await connectExtension(server.port, 'chrome-extension://legacy');
    const calling = server.client.callTool({ name: 'browser_go_back', arguments: {} });
    real.reply(await real.nextCommand(), { url: 'https://a.test/' });
    expect(text(await calling)).toBe('- Page URL: https://a.test/');
    expect(legacy.received).toEqual([]);
  });
});

describe('the tools of issue 21 on the wire', () => {
  const CALLS = [
    {
      tool: 'browser_click',
      args: {
        element: 'OK',
        ref: 's1e1',
        doubleClick: true,
        button: 'right',
        modifiers: ['Shift', 'ControlOrMeta'],
      },
      type: 'dom.click',
      reply: {
        message: 'Double-clicked OK',
        dialog: { type: 'confirm', message: 'Sure?' },
        fileChooser: { multiple: false },
      },
      text:
        'Double-clicked OK\nA confirm dialog opened: "Sure?". It blocks the page until you answer it with browser_handle_dialog.\n' +
        'A file chooser opened: set its files with browser_file_upload.',
    },
    {
      tool: 'browser_type',
      args: { element: 'Name', ref: 's1e2', text: 'abc', slowly: true },
      type: 'dom.type',
      payload: { element: 'Name', ref: 's1e2', text: 'abc', slowly: true, submit: false },
      reply: { message: 'Typed "abc" into Name key by key' },
      text: 'Typed "abc" into Name key by key',
    },
    {
      tool: 'browser_handle_dialog',
      args: { accept: true, promptText: 'Zoe' },
      type: 'browser_handle_dialog',
      reply: { message: 'Accepted the prompt dialog "Name?" with "Zoe"' },
      text: 'Accepted the prompt dialog "Name?" with "Zoe"',
    },
    {
      tool: 'browser_fill_form',
      args: {
        fields: [
          { name: 'Email', type: 'textbox', ref: 's1e3', value: 'a@b.c' },
          { name: 'Terms', type: 'checkbox', ref: 's1e4', value: 'true' },
        ],
      },
      type: 'browser_fill_form',
      reply: { message: 'Filled 2 field(s): "Email", "Terms"' },
      text: 'Filled 2 field(s): "Email", "Terms"',
    },
    {
      tool: 'browser_drag',
      args: { startElement: 'Card', startRef: 's1e5', endElement: 'Bin', endRef: 's1e6' },
      type: 'browser_drag',
      reply: { message: 'Dragged Card to Bin' },
      text: 'Dragged Card to Bin',
    },
    {
      tool: 'browser_evaluate',
      args: { function: '() => document.title' },
      type: 'browser_evaluate',
      reply: { result: '"Example"' },
      text: '"Example"',
    },
    {
      tool: 'browser_mouse_click_xy',
      args: { x: 10.5, y: 20 },
      type: 'browser_mouse_click_xy',
      reply: { message: 'Clicked at (10.5, 20)' },
      text: 'Clicked at (10.5, 20)',
    },
    {
      tool: 'browser_resize',
      args: { width: 800, height: 600 },
      type: 'browser_resize',
      reply: { message: 'The viewport is now 800×600 CSS pixels.' },
      text: 'The viewport is now 800×600 CSS pixels.',
    },
  ] as const;

  it('sends each tool’s typed payload and words the reply, dialogs and file choosers included', async () => {
    await using server = await startServer([], 'tools-21');
    await using extension = await connectGreetedExtension(server.port);
    for (const c of CALLS) {
      const calling = server.client.callTool({ name: c.tool, arguments: c.args });
      const command = await extension.nextCommand();
      expect(command, c.tool).toEqual({
        id: expect.any(Number),
        type: c.type,
        payload: 'payload' in c ? c.payload : c.args,
        instanceId: 'tools-21',
      });
      extension.reply(command, c.reply);
      const result = await calling;
      expect(result.isError, c.tool).toBeFalsy();
      expect(text(result), c.tool).toBe(c.text);
    }
    const shooting = server.client.callTool({
      name: 'browser_screenshot',
      arguments: { type: 'jpeg', element: 'Logo', ref: 's1e7' },
    });
    const shot = await extension.nextCommand();
    expect(shot.payload).toEqual({ type: 'jpeg', element: 'Logo', ref: 's1e7' });
    extension.reply(shot, { data: '/9j/4AAQ', mimeType: 'image/jpeg' });
    expect((await shooting).content).toEqual([{ type: 'image', data: '/9j/4AAQ', mimeType: 'image/jpeg' }]);
  });

  it('refuses bad arguments before anything reaches the extension', async () => {
    await using server = await startServer([], 'tools-21-bad');
    await using extension = await connectGreetedExtension(server.port);
    for (const [tool, args] of [
      ['browser_screenshot', { fullPage: true, element: 'Logo', ref: 's1e1' }],
      ['browser_screenshot', { ref: 's1e1' }],
      ['browser_evaluate', { function: '() => 1', ref: 's1e1' }],
      ['browser_fill_form', { fields: [{ name: 'A', type: 'date', ref: 's1e1', value: 'x' }] }],
      ['browser_click', { element: 'OK', ref: 's1e1', modifiers: ['Hyper'] }],
      ['browser_resize', { width: 10, height: 600 }],
      ['browser_mouse_click_xy', { x: -5, y: 1 }],
      ['browser_file_upload', { paths: ['relative.txt'] }],
      ['browser_file_upload', { paths: ['/no/such/file.txt'] }],
    ] as const) {
      const result = await server.client.callTool({ name: tool, arguments: args });
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
    }
    const missing = await server.client.callTool({
      name: 'browser_file_upload',
      arguments: { paths: ['/no/such/file.txt'] },
    });
    expect(text(missing)).toBe('Cannot upload /no/such/file.txt: it does not exist. Nothing was uploaded.');
    // Handshake frames only: no command reached the extension.
    expect(
      extension.received.filter((message) => typeof (message as { id?: unknown }).id === 'number'),
    ).toEqual([]);
  });

  it('stamps --dialogs on every command, and says the extension answered the dialog', async () => {
    await using server = await startServer(['--dialogs', 'accept'], 'dialogs-accept');
    await using extension = await connectGreetedExtension(server.port);
    const clicking = server.client.callTool({
      name: 'browser_click',
      arguments: { element: 'OK', ref: 's1e1' },
    });
    const command = await extension.nextCommand();
    expect(command).toMatchObject({ type: 'dom.click', dialogs: 'accept' });
    extension.reply(command, {
      message: 'Clicked OK',
      dialog: { type: 'alert', message: 'Hi', handled: 'accepted' },
    });
    expect(text(await clicking)).toBe(
      'Clicked OK\nAn alert dialog opened: "Hi". browser-mcp accepted it (--dialogs).',
    );
  });
});
