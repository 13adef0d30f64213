import { describe, expect, it } from 'vitest';
import { offsetForNewServer } from './add.js';

describe('offsetForNewServer', () => {
  it('a known tool gets its table offset, by key or by package', () => {
    expect(offsetForNewServer({ server: 'memory', identity: {}, used: {} })).toBe(30);
    const identity = { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/x'] };
    expect(offsetForNewServer({ server: 'files', identity, used: {} })).toBe(10);
  });
  it('another server takes the first offset no server holds and no known tool owns', () => {
    expect(offsetForNewServer({ server: 'my-db', identity: {}, used: {} })).toBe(11);
    expect(offsetForNewServer({ server: 'my-db', identity: {}, used: { a: 11, b: 12 } })).toBe(13);
  });
  it('--offset is honoured and checked, each error naming it', () => {
    expect(offsetForNewServer({ server: 'x', identity: {}, used: {}, requested: '42' })).toBe(42);
    for (const requested of ['9', '100', '4.5', '-1', 'abc']) {
      expect(() => offsetForNewServer({ server: 'x', identity: {}, used: {}, requested })).toThrow(
        /--offset/,
      );
    }
    expect(() => offsetForNewServer({ server: 'x', identity: {}, used: {}, requested: '20' })).toThrow(
      /belongs to the known tool sequential-thinking/,
    );
    expect(() => offsetForNewServer({ server: 'x', identity: {}, used: { y: 42 }, requested: '42' })).toThrow(
      /held by server "y"/,
    );
    expect(() => offsetForNewServer({ server: 'memory', identity: {}, used: {}, requested: '42' })).toThrow(
      /known tool memory, whose offset is 30/,
    );
  });
});
