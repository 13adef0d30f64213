import { PassThrough, Writable } from 'node:stream';
import { McpServer, SUPPORTED_PROTOCOL_VERSIONS as SDK_VERSIONS } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { describe, expect, it } from 'vitest';
import { earlyAnswer, SUPPORTED_PROTOCOL_VERSIONS, startFastInitialize } from './fast-initialize.js';
import { CAPABILITIES, INSTRUCTIONS } from './identity.js';
import { registerBrowserTools } from './tools.js';

const identity = {
  name: 'browser-mcp',
  version: '1.2.3',
  instructions: INSTRUCTIONS,
  capabilities: CAPABILITIES,
};

function initialize(id: number | string, protocolVersion: string): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 't', version: '1' } },
  });
}

/** Runs the real SDK server on injected streams and resolves with its answer to `line`. */
async function sdkAnswer(line: string): Promise<unknown> {
  const input = new PassThrough();
  let out = '';
  const output = new Writable({
    write(chunk, _encoding, callback) {
      out += String(chunk);
      callback();
    },
  });
  const handle = serveStdio(
    () => {
      const server = new McpServer(
        { name: identity.name, version: identity.version },
        { instructions: INSTRUCTIONS },
      );
      registerBrowserTools(server, { send: async () => ({}) as never, listInstances: async () => [] });
      return server;
    },
    { transport: new StdioServerTransport(input, output) },
  );
  input.write(`${line}\n`);
  while (!out.includes('\n')) await new Promise((resolve) => setTimeout(resolve, 5));
  await handle.close();
  return JSON.parse(out.slice(0, out.indexOf('\n')));
}

describe('the early initialize answer', () => {
  it('offers exactly the protocol versions of the SDK we ship', () => {
    expect([...SUPPORTED_PROTOCOL_VERSIONS]).toEqual([...SDK_VERSIONS]);
  });

  it.each([...SUPPORTED_PROTOCOL_VERSIONS, '1999-01-01'])(
    'is what the SDK answers for %s',
    async (version) => {
      const line = initialize(7, version);
      expect(earlyAnswer(line, identity)).toEqual(await sdkAnswer(line));
    },
  );

  it('answers only an initialize request', () => {
    expect(earlyAnswer('{"jsonrpc":"2.0","id":1,"method":"tools/list"}', identity)).toBeUndefined();
    expect(earlyAnswer('not json', identity)).toBeUndefined();
    expect(earlyAnswer('{"jsonrpc":"2.0","method":"initialize","params":{}}', identity)).toBeUndefined();
  });

  it('passes everything on to the SDK and drops only its duplicate answer, comparing it', async () => {
    const stdin = new PassThrough();
    let written = '';
    const stdout = new Writable({
      write(chunk, _encoding, callback) {
        written += String(chunk);
        callback();
      },
    });
    const mismatches: unknown[] = [];
    const fast = startFastInitialize({
      identity,
      stdin,
      stdout,
      onMismatch: (a, b) => mismatches.push(a, b),
    });
    let seen = '';
    fast.input.on('data', (chunk) => {
      seen += String(chunk);
    });
    const line = initialize('a', '2025-06-18');
    stdin.write(`${line.slice(0, 10)}`);
    expect(written).toBe('');
    stdin.write(`${line.slice(10)}\n{"jsonrpc":"2.0","method":"notifications/initialized"}\n`);
    expect(JSON.parse(written)).toMatchObject({ id: 'a', result: { protocolVersion: '2025-06-18' } });
    expect(seen).toBe(`${line}\n{"jsonrpc":"2.0","method":"notifications/initialized"}\n`);

    const answer = written;
    fast.output.write(`{"jsonrpc":"2.0","method":"notifications/message","params":{}}\n`);
    fast.output.write(
      `${JSON.stringify({ ...JSON.parse(answer), result: { other: true } })}\n{"jsonrpc":"2.0","id":2,"result":{}}\n`,
    );
    fast.output.write('{"jsonrpc":"2.0","id":"a","result":{}}\n');
    await new Promise((resolve) => fast.output.write('', resolve));
    expect(written.split('\n').filter(Boolean)).toEqual([
      answer.trim(),
      '{"jsonrpc":"2.0","method":"notifications/message","params":{}}',
      '{"jsonrpc":"2.0","id":2,"result":{}}',
      '{"jsonrpc":"2.0","id":"a","result":{}}',
    ]);
    expect(mismatches).toHaveLength(2);
  });

  it('keeps a character split across two chunks whole, on both sides', async () => {
    const stdin = new PassThrough();
    const written: Buffer[] = [];
    const stdout = new Writable({
      write(chunk, _encoding, callback) {
        written.push(Buffer.from(chunk));
        callback();
      },
    });
    const fast = startFastInitialize({ identity, stdin, stdout });
    const line = Buffer.from(`${initialize('ü', '2025-06-18')}\n`);
    const cut = line.indexOf(Buffer.from('ü')) + 1; // inside the two bytes of ü
    stdin.write(line.subarray(0, cut));
    stdin.write(line.subarray(cut));
    expect(JSON.parse(Buffer.concat(written).toString('utf8'))).toMatchObject({ id: 'ü' });

    const answer = Buffer.concat(written).toString('utf8');
    const next = Buffer.from('{"jsonrpc":"2.0","method":"notifications/message","params":{"data":"20 €"}}\n');
    const euro = next.indexOf(Buffer.from('€')) + 2; // inside the three bytes of €
    fast.output.write(Buffer.from(answer));
    fast.output.write(next.subarray(0, euro));
    fast.output.write(next.subarray(euro));
    await new Promise((resolve) => fast.output.write('', resolve));
    expect(Buffer.concat(written).toString('utf8')).toBe(`${answer}${next.toString('utf8')}`);
  });
});
