import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derivePairingKey, startExtensionHandshake } from '@ports/browser-protocol';
import WebSocket from 'ws';
import { loadOrCreateSecret } from '../src/pairing/secret-file.js';

/** A command as the server sends it to the extension. */
export interface ReceivedCommand {
  readonly id: number;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly instanceId: string;
}

/** A WebSocket client playing the browser extension. */
export interface FakeExtension extends AsyncDisposable {
  readonly socket: WebSocket;
  /** Every JSON message received, in order. */
  readonly received: unknown[];
  /** Resolves with the next message matching `predicate` (including ones already received and not taken). */
  next<T = Record<string, unknown>>(predicate?: (message: Record<string, unknown>) => boolean): Promise<T>;
  /** Resolves with the next command (a message with a numeric id). */
  nextCommand(): Promise<ReceivedCommand>;
  send(message: unknown): void;
  /**
   * Pairs as our extension does: `hello` with a nonce, checks the server's proof in `helloAck`,
   * sends its own, and resolves with the `helloAck` once the server accepted it (`authResult`):
   * only then does it get commands. Rejects when the server's proof is wrong or it refuses ours.
   */
  hello(key?: Uint8Array): Promise<HelloAck>;
  /** Says `hello` as the older extension does (no pairing) and resolves with the server's first answer. */
  helloUnpaired(): Promise<Record<string, unknown>>;
  /** Answers `command` with `payload`, in either reply shape the protocol allows. */
  reply(command: ReceivedCommand, payload: unknown, shape?: ReplyShape): void;
  /** Answers `command` with an error, in either reply shape. */
  fail(command: ReceivedCommand, error: string, shape?: ReplyShape): void;
  close(): Promise<void>;
}

/** The server's `helloAck` as the fake extension received it. */
export interface HelloAck {
  readonly type: 'helloAck';
  readonly instanceId: string;
  readonly port: number;
  readonly label?: string;
  readonly pairing?: { nonce: string; proof: string };
}

/**
 * The two reply shapes extensions send: `v1` is `{id, type, payload}` / `{id, error}` (the older
 * extension's v1.21.0, and ours); `wire` is `{wireId, type: "response", data | error}` (its main line).
 */
export type ReplyShape = 'v1' | 'wire';

/**
 * Connects to `ws://127.0.0.1:<port>` as an extension and pairs (with the test pairing secret, see
 * {@link testPairingFile}), so commands reach it.
 */
export async function connectGreetedExtension(
  port: number,
  origin = 'chrome-extension://test',
): Promise<FakeExtension> {
  const extension = await connectExtension(port, origin);
  try {
    await extension.hello();
    return extension;
  } catch (error) {
    await extension.close();
    throw error;
  }
}

/** Connects to `ws://127.0.0.1:<port>` with `origin`; rejects with the HTTP status when refused. */
export async function connectExtension(port: number, origin?: string): Promise<FakeExtension> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`, origin === undefined ? {} : { origin });
  const queue: Record<string, unknown>[] = [];
  const received: unknown[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    received.push(message);
    queue.push(message);
    for (const waiter of [...waiters]) waiter();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => {
      reject(
        Object.assign(new Error(`refused with HTTP ${response.statusCode}`), { status: response.statusCode }),
      );
      socket.terminate();
    });
    socket.once('error', reject);
  });
  socket.on('error', () => {});

  const next = <T>(predicate: (message: Record<string, unknown>) => boolean = () => true): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const index = queue.findIndex(predicate);
        if (index === -1) return false;
        const [message] = queue.splice(index, 1);
        waiters.delete(listener);
        socket.off('close', onClose);
        resolve(message as T);
        return true;
      };
      const listener = (): void => {
        check();
      };
      const onClose = (): void => {
        waiters.delete(listener);
        reject(new Error(`socket closed while waiting; received ${JSON.stringify(received)}`));
      };
      if (check()) return;
      waiters.add(listener);
      socket.once('close', onClose);
    });

  const close = async (): Promise<void> => {
    if (socket.readyState === WebSocket.CLOSED) return;
    const closed = once(socket, 'close');
    socket.close();
    await closed;
  };

  const send = (message: unknown): void =>
    socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  return {
    socket,
    received,
    next,
    nextCommand: () => next<ReceivedCommand>((message) => typeof message.id === 'number'),
    send,
    hello: async (key) => {
      // The extension's own side of the handshake, from the protocol package.
      const handshake = startExtensionHandshake(key ?? (await testPairingKey()), port);
      send(handshake.hello);
      const ack = await next<HelloAck>((message) => message.type === 'helloAck');
      const answer = await handshake.answer(ack);
      if (!answer.ok) throw new Error(answer.reason);
      send(answer.auth);
      const result = await next<{ ok: boolean; message?: string; label?: string }>(
        (message) => message.type === 'authResult',
      );
      if (!result.ok) throw new Error(`the server refused the pairing: ${result.message}`);
      return { ...ack, ...(result.label ? { label: result.label } : {}) };
    },
    helloUnpaired: async () => {
      send({ type: 'hello', wants: 'instanceId' });
      return next();
    },
    reply: (command, payload, shape = 'v1') =>
      send(
        shape === 'v1'
          ? { id: command.id, type: command.type, payload }
          : { wireId: command.id, type: 'response', data: payload },
      ),
    fail: (command, error, shape = 'v1') =>
      send(shape === 'v1' ? { id: command.id, error } : { wireId: command.id, type: 'response', error }),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Sends a plain HTTP request and resolves with its status and body. */
export function httpRequest(
  port: number,
  options: { readonly method?: string; readonly origin?: string; readonly path?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.origin === undefined ? {} : { origin: options.origin },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * A registry file of its own for one test server, in a temp directory removed when the test
 * process exits, so tests never touch the real `/tmp/browsermcp-ports.json` or each other.
 */
export function testRegistry(): string {
  testRegistryDir ??= mkdtempSync(join(tmpdir(), 'browser-mcp-test-'));
  const dir = testRegistryDir;
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  testRegistryCount += 1;
  return join(dir, `registry-${testRegistryCount}.json`);
}
/**
 * The pairing secret file every server of this test process shares (`BROWSER_MCP_PAIRING_FILE`), in
 * the same temp directory as the registries.
 */
export function testPairingFile(): string {
  // The root vitest setup gives each test process one (scripts/vitest-setup.ts).
  const fromSetup = process.env.BROWSER_MCP_PAIRING_FILE;
  if (fromSetup) return fromSetup;
  testRegistryDir ??= mkdtempSync(join(tmpdir(), 'browser-mcp-test-'));
  const dir = testRegistryDir;
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return join(dir, 'pairing.json');
}

/** The pairing key of {@link testPairingFile}, creating the secret when no server did yet. */
export async function testPairingKey(): Promise<Uint8Array> {
  testKey ??= loadOrCreateSecret(testPairingFile()).then(({ secret }) => derivePairingKey(secret));
  return testKey;
}
let testKey: Promise<Uint8Array> | undefined;

let testRegistryDir: string | undefined;
let testRegistryCount = 0;
let cleanupRegistered = false;
