import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, commandFor, TOOL_COMMANDS } from './commands.js';
import { parseServerFrame } from './parse-server-frame.js';

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

  it('reads every command of the table, and names an unsupported one', () => {
    for (const type of COMMAND_TYPES) {
      const frame = parseServerFrame(JSON.stringify({ id: 1, type, payload: { a: 1 }, instanceId: 'i' }));
      expect(frame).toEqual({ kind: 'command', id: 1, type, payload: { a: 1 }, instanceId: 'i' });
    }
    expect(parseServerFrame('{"id":2,"type":"page.navigate","payload":{}}')).toEqual({
      kind: 'unsupported',
      id: 2,
      type: 'page.navigate',
    });
    expect(parseServerFrame('{"id":3,"type":"dom.click","payload":[1]}')).toMatchObject({ payload: {} });
    expect(parseServerFrame('not json').kind).toBe('unknown');
  });
});

describe('the tool → command table', () => {
  it('is the contract the server and the extension share', () => {
    expect(
      Object.fromEntries(Object.entries(TOOL_COMMANDS).map(([tool, entry]) => [tool, entry.type])),
    ).toEqual({
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
    });
    expect(new Set(COMMAND_TYPES).size).toBe(COMMAND_TYPES.length);
  });

  it('adds the fixed fields after the arguments', () => {
    expect(commandFor('browser_snapshot', {})).toEqual({
      type: 'snapshot.accessibility',
      payload: { mode: 'scaffold' },
    });
    expect(commandFor('browser_snapshot', { mode: 'full' }).payload).toEqual({ mode: 'scaffold' });
    expect(commandFor('browser_click', { element: 'OK', ref: 'e1' })).toEqual({
      type: 'dom.click',
      payload: { element: 'OK', ref: 'e1' },
    });
  });
});
