import { describe, expect, it } from 'vitest';
import { parseExtensionFrame } from './parse-extension-frame.js';

describe('parseExtensionFrame', () => {
  it('reads the first reply shape: {id, type, payload} and {id, error}', () => {
    expect(parseExtensionFrame('{"id":3,"type":"dom.click","payload":{"success":true}}')).toEqual({
      kind: 'reply',
      id: 3,
      payload: { success: true },
    });
    expect(parseExtensionFrame('{"id":4,"error":"Unknown message type"}')).toEqual({
      kind: 'error',
      id: 4,
      error: 'Unknown message type',
    });
    expect(parseExtensionFrame('{"id":5,"error":{"message":"boom","code":1}}')).toEqual({
      kind: 'error',
      id: 5,
      error: 'boom',
    });
    expect(parseExtensionFrame('{"id":6}')).toEqual({ kind: 'reply', id: 6, payload: {} });
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
