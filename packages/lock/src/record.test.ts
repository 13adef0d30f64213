import { describe, expect, it } from 'vitest';
import { hostName } from './process-info.js';
import { formatRecord, newToken, parseRecord } from './record.js';

describe('lock file records', () => {
  it('writes JSON whose first key is the pid, and reads it back', () => {
    const token = newToken();
    const text = formatRecord(token);
    expect(text.startsWith(`{"pid":${process.pid},`)).toBe(true);
    expect(parseRecord(text)).toMatchObject({ kind: 'owner', pid: process.pid, token, hostname: hostName });
  });

  it('reads a bare pid (the simple protocol), with or without a newline', () => {
    expect(parseRecord('4242')).toEqual({ kind: 'pid', pid: 4242 });
    expect(parseRecord('4242\n')).toEqual({ kind: 'pid', pid: 4242 });
  });

  it.each([
    '',
    '{"pid":12',
    '{"pid":"12","token":"a","hostname":"h"}',
    'null',
    '[1]',
    '0',
    '\u0000garbage',
    '-5',
  ])('treats %j as an unknown holder', (content) => {
    expect(parseRecord(content)).toEqual({ kind: 'unknown' });
  });

  it('makes 32-hex-digit tokens that differ', () => {
    const a = newToken();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newToken()).not.toBe(a);
  });
});
