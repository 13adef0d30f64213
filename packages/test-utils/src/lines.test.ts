import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineBuffer, waitForLine } from './lines.js';

describe('LineBuffer', () => {
  it('joins lines split across chunks and strips CR', async () => {
    const stream = new PassThrough();
    const buffer = new LineBuffer(stream);
    stream.write('hel');
    stream.write('lo\r\nwor');
    stream.end('ld');
    await expect(buffer.waitFor('world')).resolves.toBe('world');
    expect(buffer.lines).toEqual(['hello', 'world']);
  });

  it('accepts a predicate matcher', async () => {
    const stream = new PassThrough();
    const buffer = new LineBuffer(stream);
    stream.write('a=1\na=2\n');
    await expect(buffer.waitFor((line) => line.endsWith('2'))).resolves.toBe('a=2');
  });
});

describe('waitForLine', () => {
  it('resolves with the first matching line after it starts', async () => {
    const stream = new PassThrough();
    const waiting = waitForLine(stream, /port \d+/);
    stream.write('starting\nport 8765\n');
    await expect(waiting).resolves.toBe('port 8765');
  });

  it('times out with a message that shows what arrived', async () => {
    const stream = new PassThrough();
    const waiting = waitForLine(stream, 'never', { timeoutMs: 50 });
    stream.write('something else\n');
    await expect(waiting).rejects.toThrow(/something else/);
  });
});
