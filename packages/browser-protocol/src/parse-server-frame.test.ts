import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, TOOL_COMMANDS } from './commands.js';
import { parseServerFrame } from './parse-server-frame.js';

/** A valid payload of every command, so a test can send each one. */
const VALID = {
  browser_navigate: { url: 'https://a.test/' },
  browser_go_back: {},
  browser_go_forward: {},
  'snapshot.accessibility': { mode: 'scaffold' },
  'dom.click': { ref: 's1e1', element: 'OK' },
  'dom.hover': { ref: 's1e1', element: 'OK' },
  'dom.type': { ref: 's1e1', element: 'Name', text: 'x', submit: false },
  'dom.select': { ref: 's1e1', element: 'Colour', values: ['red'] },
  'keyboard.press': { key: 'Enter' },
  'console.get': {},
  browser_screenshot: {},
  browser_tabs: { action: 'list' },
  browser_wait_for: { text: 'Ready', timeoutMs: 1000 },
  browser_handle_dialog: { accept: true, promptText: 'Ann' },
  browser_file_upload: { paths: ['/tmp/a.txt'] },
  browser_fill_form: { fields: [{ name: 'Email', type: 'textbox', ref: 's1e1', value: 'a@b.c' }] },
  browser_drag: { startElement: 'Card', startRef: 's1e1', endElement: 'Bin', endRef: 's1e2' },
  browser_evaluate: { function: '() => 1' },
  browser_mouse_click_xy: { x: 10, y: 20 },
  browser_resize: { width: 800, height: 600 },
} as const;

describe('parseServerFrame', () => {
  it('reads helloAck and portListResponse', () => {
    expect(parseServerFrame('{"type":"helloAck","instanceId":"a","port":8765}')).toEqual({
      kind: 'helloAck',
      type: 'helloAck',
      instanceId: 'a',
      port: 8765,
    });
    expect(parseServerFrame('{"type":"helloAck","port":8765}').kind).toBe('unknown');
    expect(parseServerFrame('{"type":"portListResponse","ports":[8765,"x",70000,8766]}')).toEqual({
      kind: 'portListResponse',
      type: 'portListResponse',
      ports: [8765, 8766],
    });
  });

  it('reads every command of the table with its payload validated, and names an unsupported one', () => {
    expect(Object.keys(VALID).sort()).toEqual([...COMMAND_TYPES].sort());
    for (const type of COMMAND_TYPES) {
      const payload = { ...VALID[type as keyof typeof VALID], extra: 1 };
      const frame = parseServerFrame(JSON.stringify({ id: 1, type, payload, instanceId: 'i' }));
      // Unknown fields are dropped: an older extension reads a newer server's payload.
      expect(frame).toEqual({
        kind: 'command',
        id: 1,
        type,
        payload: VALID[type as keyof typeof VALID],
        instanceId: 'i',
      });
    }
    expect(parseServerFrame('{"id":2,"type":"page.navigate","payload":{}}')).toEqual({
      kind: 'unsupported',
      id: 2,
      type: 'page.navigate',
    });
    expect(parseServerFrame('not json').kind).toBe('unknown');
  });

  it('answers a payload that does not validate as invalid, with EBADARGS naming the field', () => {
    const cases: [string, unknown, RegExp][] = [
      ['dom.click', { ref: 's1e1' }, /'element' must be a non-empty string, got nothing/],
      ['dom.click', [1], /'' must be an object|must be an object/],
      ['dom.type', { ref: 'a', element: 'b', text: 5 }, /'text' must be a string/],
      [
        'dom.select',
        { ref: 'a', element: 'b', values: [] },
        /'values' must be an array of a string, at least 1/,
      ],
      ['browser_tabs', { action: 'open' }, /'action' must be one of "list", "new", "select", "close"/],
      ['browser_tabs', { action: 'select', index: -1 }, /'index' must be a whole number at least 0/],
      [
        'browser_wait_for',
        { timeoutMs: 99_999 },
        /'timeoutMs' must be a number at least 0 and at most 30000/,
      ],
      [
        'dom.click',
        { ref: 'a', element: 'b', button: 'back' },
        /'button' must be one of "left", "right", "middle"/,
      ],
      [
        'dom.click',
        { ref: 'a', element: 'b', modifiers: ['Hyper'] },
        /'modifiers\[0\]' must be one of "Alt"/,
      ],
      [
        'browser_fill_form',
        {
          fields: [
            { name: 'A', type: 'textbox', ref: 'r', value: 'x' },
            { name: 'B', type: 'date', ref: 'r', value: 'x' },
          ],
        },
        /'fields\[1\].type' must be one of "textbox", "checkbox", "radio", "combobox", "slider"/,
      ],
      ['browser_handle_dialog', {}, /'accept' must be true or false, got nothing/],
      ['browser_mouse_click_xy', { x: -1, y: 0 }, /'x' must be a number at least 0/],
      [
        'browser_resize',
        { width: 50, height: 600 },
        /'width' must be a whole number at least 100 and at most 10000/,
      ],
      ['browser_screenshot', { type: 'gif' }, /'type' must be one of "png", "jpeg"/],
    ];
    for (const [type, payload, message] of cases) {
      const frame = parseServerFrame(JSON.stringify({ id: 3, type, payload, instanceId: 'i' }));
      expect(frame.kind, type).toBe('invalid');
      if (frame.kind !== 'invalid') continue;
      expect(frame.error.code).toBe('EBADARGS');
      expect(frame.error.message).toMatch(message);
    }
  });
});

describe('the tool → command table', () => {
  it('is the contract the server and the extension share', () => {
    expect(TOOL_COMMANDS).toEqual({
      browser_navigate: 'browser_navigate',
      browser_go_back: 'browser_go_back',
      browser_go_forward: 'browser_go_forward',
      browser_snapshot: 'snapshot.accessibility',
      browser_click: 'dom.click',
      browser_hover: 'dom.hover',
      browser_type: 'dom.type',
      browser_select_option: 'dom.select',
      browser_press_key: 'keyboard.press',
      browser_get_console_logs: 'console.get',
      browser_screenshot: 'browser_screenshot',
      browser_tabs: 'browser_tabs',
      browser_wait_for: 'browser_wait_for',
      browser_handle_dialog: 'browser_handle_dialog',
      browser_file_upload: 'browser_file_upload',
      browser_fill_form: 'browser_fill_form',
      browser_drag: 'browser_drag',
      browser_evaluate: 'browser_evaluate',
      browser_mouse_click_xy: 'browser_mouse_click_xy',
      browser_resize: 'browser_resize',
    });
    expect(new Set(Object.values(TOOL_COMMANDS))).toEqual(new Set(COMMAND_TYPES));
  });
});
