import { PassThrough, type Readable, Writable } from 'node:stream';

/**
 * Protocol versions the MCP SDK we ship negotiates, newest first. A test pins this list to the
 * SDK's `SUPPORTED_PROTOCOL_VERSIONS`, so the early answer can never offer what the SDK would not.
 */
export const SUPPORTED_PROTOCOL_VERSIONS = [
  '2025-11-25',
  '2025-06-18',
  '2025-03-26',
  '2024-11-05',
  '2024-10-07',
] as const;

const NEWLINE = 0x0a;

/** What the early `initialize` answer says: exactly what the SDK's own answer says. */
export interface ServerIdentity {
  readonly name: string;
  readonly version: string;
  readonly instructions: string;
  /** The capabilities the SDK announces for our tools. */
  readonly capabilities: Readonly<Record<string, unknown>>;
}

/** Options of {@link startFastInitialize}. */
export interface FastInitializeOptions {
  readonly identity: ServerIdentity;
  /** The client's end (default `process.stdin`). */
  readonly stdin?: Readable;
  /** Where MCP messages go (default `process.stdout`). */
  readonly stdout?: NodeJS.WritableStream;
  /** Told when the SDK's answer to `initialize` differs from ours (it never should). */
  readonly onMismatch?: (ours: unknown, sdk: unknown) => void;
}

/** The streams the SDK's transport reads and writes once it is loaded. */
export interface FastInitialize {
  /** Everything the client sent, the `initialize` request included, from the first byte. */
  readonly input: Readable;
  /** Write MCP messages here: the SDK's own answer to the `initialize` we answered is dropped. */
  readonly output: Writable;
  /** Stops reading the client, so a server that failed to start can exit while stdin is open. */
  stop(): void;
}

/**
 * Answers the client's `initialize` as soon as it arrives, before the MCP SDK (most of the
 * start-up time) is even loaded, so a client that starts several servers never waits for the
 * slowest to load. Everything the client sent is kept for the SDK's transport, which then sees
 * the whole conversation, `initialize` included, and stays the authority for all of it; only its
 * duplicate answer to that one request is dropped, after it is compared with ours.
 */
export function startFastInitialize(options: FastInitializeOptions): FastInitialize {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const input = new PassThrough();
  // Bytes, cut only at '\n' (a byte no UTF-8 character contains), so a character split across
  // two chunks is never mangled.
  let pending = Buffer.alloc(0);
  let answered: { readonly id: string | number; readonly response: Record<string, unknown> } | undefined;
  let deciding = true;

  const onData = (chunk: Buffer): void => {
    input.write(chunk);
    if (!deciding) return;
    pending = Buffer.concat([pending, chunk]);
    const newline = pending.indexOf(NEWLINE);
    if (newline === -1) {
      // A first message larger than any initialize is no initialize: leave it to the SDK.
      if (pending.length > 65_536) deciding = false;
      return;
    }
    deciding = false;
    const response = earlyAnswer(pending.subarray(0, newline).toString('utf8'), options.identity);
    pending = Buffer.alloc(0);
    if (response !== undefined) {
      answered = { id: response.id as string | number, response };
      stdout.write(`${JSON.stringify(response)}\n`);
    }
  };
  stdin.on('data', onData);
  stdin.once('end', () => input.end());

  let buffer = Buffer.alloc(0);
  let dropping = true;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!dropping || answered === undefined) return void stdout.write(chunk, callback);
      buffer = Buffer.concat([buffer, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
      let newline = buffer.indexOf(NEWLINE);
      while (dropping && newline !== -1) {
        const line = buffer.subarray(0, newline).toString('utf8');
        buffer = buffer.subarray(newline + 1);
        if (isAnswerTo(line, answered.id)) {
          dropping = false;
          const sdk = JSON.parse(line) as unknown;
          if (!sameJson(sdk, answered.response)) options.onMismatch?.(answered.response, sdk);
        } else {
          stdout.write(`${line}\n`);
        }
        newline = buffer.indexOf(NEWLINE);
      }
      if (!dropping && buffer.length > 0) {
        // From here chunks pass as they are: hand on the bytes still buffered first.
        const rest = buffer;
        buffer = Buffer.alloc(0);
        return void stdout.write(rest, callback);
      }
      callback();
    },
  });
  const stop = (): void => {
    stdin.off('data', onData);
    stdin.pause();
    // A pipe still open on the client's side would keep the event loop alive: let go of it.
    if ('unref' in stdin && typeof stdin.unref === 'function') stdin.unref();
    input.end();
  };
  return { input, output, stop };
}

/** Our answer to `line` when it is an `initialize` request, else undefined. */
export function earlyAnswer(line: string, identity: ServerIdentity): Record<string, unknown> | undefined {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { jsonrpc, id, method, params } = message as Record<string, unknown>;
  if (jsonrpc !== '2.0' || method !== 'initialize') return undefined;
  if (typeof id !== 'number' && typeof id !== 'string') return undefined;
  const requested = (params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
  if (typeof requested !== 'string') return undefined;
  const protocolVersion = (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(requested)
    ? requested
    : SUPPORTED_PROTOCOL_VERSIONS[0];
  return {
    result: {
      protocolVersion,
      capabilities: identity.capabilities,
      serverInfo: { name: identity.name, version: identity.version },
      instructions: identity.instructions,
    },
    jsonrpc: '2.0',
    id,
  };
}

function isAnswerTo(line: string, id: string | number): boolean {
  try {
    const message = JSON.parse(line) as Record<string, unknown>;
    return message.id === id && ('result' in message || 'error' in message);
  } catch {
    return false;
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) =>
    sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
