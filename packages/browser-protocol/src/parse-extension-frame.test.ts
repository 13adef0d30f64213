import { describe, expect, it } from 'vitest';
import { errorMessage, replyMessage } from './messages.js';
import { parseExtensionFrame } from './parse-extension-frame.js';

describe('parseExtensionFrame', () => {
  it('reads the first reply shape: {id, type, payload} and {id, error, code?}', () => {
    expect(parseExtensionFrame('{"id":3,"type":"dom.click","payload":{"success":true}}')).toEqual({
      kind: 'reply',
      id: 3,
      payload: { success: true },
    });
    expect(parseExtensionFrame('{"id":4,"error":"Unknown message type"}')).toEqual({
      kind: 'error',
      id: 4,
      code: 'EEXTENSION',
      error: 'Unknown message type',
    });
    expect(parseExtensionFrame('{"id":5,"error":{"message":"boom","code":1}}')).toEqual({
      kind: 'error',
      id: 5,
      code: 'EEXTENSION',
      error: 'boom',
    });
    expect(parseExtensionFrame('{"id":6}')).toEqual({ kind: 'reply', id: 6, payload: {} });
  });

  it('keeps the error code across the wire, and reads what our extension builds', () => {
    const sent = JSON.stringify(errorMessage(9, 'EDIALOGOPEN', 'A confirm dialog is open'));
    expect(parseExtensionFrame(sent)).toEqual({
      kind: 'error',
      id: 9,
      code: 'EDIALOGOPEN',
      error: 'A confirm dialog is open',
    });
    // A code this protocol does not know is not trusted as one.
    expect(parseExtensionFrame('{"id":10,"error":"x","code":"EWHATEVER"}')).toMatchObject({
      code: 'EEXTENSION',
    });
    expect(
      parseExtensionFrame(JSON.stringify(replyMessage(11, 'dom.click', { message: 'Clicked' }))),
    ).toEqual({
      kind: 'reply',
      id: 11,
      payload: { message: 'Clicked' },
    });
  });

  it('reads the second reply shape: {wireId, type: "response", data | error}', () => {
    expect(parseExtensionFrame('{"wireId":7,"type":"response","data":{"url":"x"}}')).toEqual({
      kind: 'reply',
      id: 7,
      payload: { url: 'x' },
    });
    expect(parseExtensionFrame('{"wireId":"8","type":"response","error":"nope"}')).toEqual({
      kind: 'error',
      id: 8,
      code: 'EEXTENSION',
      error: 'nope',
    });
    expect(parseExtensionFrame('{"wireId":"abc","type":"response","data":{}}').kind).toBe('unknown');
  });

  it('classifies hello, portListRequest, ping and events', () => {
    expect(parseExtensionFrame('{"type":"hello","wants":"instanceId"}')).toEqual({ kind: 'hello' });
    expect(parseExtensionFrame('{"type":"portListRequest"}')).toEqual({ kind: 'portListRequest' });
    expect(parseExtensionFrame('{"type":"ping"}')).toEqual({ kind: 'ping' });
    expect(parseExtensionFrame('{"type":"event","event":"tabClosed"}')).toEqual({
      kind: 'event',
      name: 'tabClosed',
    });
  });

  it('never throws on garbage', () => {
    for (const text of ['', 'nope', '[]', 'null', '1', '{"type":"weird"}', '{"id":1.5}']) {
      expect(parseExtensionFrame(text).kind, text).toBe('unknown');
    }
  });
});
