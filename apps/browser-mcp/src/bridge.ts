import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type CommandMessage,
  type CommandPayloads,
  type CommandReplies,
  type CommandType,
  decodeReply,
  type HelloAckMessage,
  type PortListResponseMessage,
  ProtocolError,
  parseExtensionFrame,
} from '@ports/browser-protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { closedError, ExtensionConnection } from './connection.js';
import { BrowserMcpError } from './errors.js';
import { listeningPort } from './http-server.js';
import { DEFAULTS } from './options.js';
import { isOriginAllowed } from './origin.js';

/** Options of {@link attachBridge}. */
export interface BridgeOptions {
  /** Announced to the extension in `helloAck` and stamped on every command. */
  readonly instanceId: string;
  /** The port to announce; defaults to the port the server listens on. */
  readonly port?: number;
  /** Origins accepted besides `chrome-extension://…` (lower-case). */
  readonly allowOrigins?: readonly string[];
  /** Ports of every live instance, for `portListRequest`. Must not write anything. */
  readonly listPorts?: () => Promise<readonly number[]>;
  /** How long the extension has to answer one command (default 30 000 ms). */
  readonly commandTimeoutMs?: number;
  /** The `--dialogs` choice, stamped on every command (absent: dialogs wait for `browser_handle_dialog`). */
  readonly dialogs?: 'accept' | 'dismiss';
  /** When this instance started (ms since the epoch), reported by `GET /`. */
  readonly startedAt?: number;
  /** Where diagnostics go (default: one line to stderr). */
  readonly log?: (line: string) => void;
}

/** Per-call options of {@link Bridge.send}. */
export interface SendOptions {
  /** Overrides the bridge's command timeout for this call. */
  readonly timeoutMs?: number;
  /**
   * Added to the timeout: for commands the extension bounds itself (a page load, 30 s), so its own
   * error, which names the page, arrives before ours.
   */
  readonly extraTimeoutMs?: number;
  /** Gives up waiting (the MCP request was cancelled); rejects with code `EABORTED`. */
  readonly signal?: AbortSignal;
}

/** The extension bridge attached to an HTTP server. */
export interface Bridge extends AsyncDisposable {
  readonly instanceId: string;
  /** The port the extension should connect to. */
  readonly port: number;
  /** How many extension connections are open. */
  readonly connectionCount: number;
  /** How many of them said `hello` (the newest of those is the active one). */
  readonly helloCount: number;
  /**
   * Sends `command` to the active extension connection and resolves with its reply, decoded by
   * the protocol (either reply shape). Rejects with a {@link BrowserMcpError}: `ENOEXTENSION` when
   * none is connected (the message names the port), `ECOMMANDTIMEOUT`, `ECONNECTIONCLOSED`,
   * `EABORTED`, `EBRIDGECLOSED`, or the extension's own code (`ESTALEREF`, `EDIALOGOPEN`…;
   * `EFAILED` / `EBADREPLY` for a reply that says it failed or cannot be read).
   */
  send<T extends CommandType>(
    command: T,
    payload: CommandPayloads[T],
    options?: SendOptions,
  ): Promise<CommandReplies[T]>;
  /** Closes every extension connection, failing their pending commands, and stops accepting new ones. */
  close(): Promise<void>;
}

/**
 * Attaches the extension bridge to `server`, which may already listen (the port allocator binds
 * it). Answers `HEAD`/`GET /` for discovery, upgrades WebSockets, and refuses any request whose
 * `Origin` is neither an extension nor allowed with 403. Closing the bridge leaves the HTTP server
 * to its owner.
 *
 * @example
 * ```ts
 * const server = createHttpServer();
 * await bindServer(server, 8765, '127.0.0.1');
 * const bridge = attachBridge(server, { instanceId: 'a', listPorts: async () => [8765] });
 * const page = await bridge.send('browser_navigate', { url: 'https://example.com' });
 * ```
 */
export function attachBridge(server: Server, options: BridgeOptions): Bridge {
  const { instanceId, allowOrigins = [], listPorts = async () => [port()] } = options;
  const startedAt = options.startedAt ?? Date.now();
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs;
  const log = options.log ?? ((line: string) => process.stderr.write(`browser-mcp: ${line}\n`));
  const wss = new WebSocketServer({ noServer: true, clientTracking: false });
  /** Oldest first; the last open one is active. */
  const connections: ExtensionConnection[] = [];
  let nextId = 1;
  let closed = false;

  const port = (): number => options.port ?? listeningPort(server) ?? 0;
  const endpoint = (): string => {
    const address = server.address();
    const host = address !== null && typeof address === 'object' ? address.address : '127.0.0.1';
    return `ws://${host.includes(':') ? `[${host}]` : host}:${port()}`;
  };

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const origin = request.headers.origin;
    const reply = (status: number, body: Record<string, unknown>): void => {
      const text = JSON.stringify(body);
      response.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
        ...(origin !== undefined && status !== 403 ? { 'access-control-allow-origin': origin } : {}),
      });
      response.end(request.method === 'HEAD' ? undefined : text);
    };
    if (!isOriginAllowed(origin, allowOrigins)) {
      log(`refused HTTP ${request.method} from origin ${origin}`);
      reply(403, { error: `origin ${origin} is not allowed` });
      return;
    }
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/') {
      reply(404, { error: 'not found' });
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      reply(405, { error: 'use GET or HEAD' });
      return;
    }
    reply(200, { name: 'browser-mcp', instanceId, port: port(), pid: process.pid, startedAt });
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const origin = request.headers.origin;
    if (closed || !isOriginAllowed(origin, allowOrigins)) {
      if (!closed) log(`refused WebSocket from origin ${origin}`);
      const status = closed ? '503 Service Unavailable' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, origin));
  };

  const accept = (ws: WebSocket, origin: string | undefined): void => {
    const connection = new ExtensionConnection(ws, origin);
    connections.push(connection);
    log(`extension connected${origin ? ` from ${origin}` : ''} (${connections.length} open)`);
    ws.on('error', (error) => log(`extension connection error: ${error.message}`));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        log('ignored a binary message from the extension');
        return;
      }
      onMessage(connection, data.toString());
    });
    ws.on('close', () => {
      const index = connections.indexOf(connection);
      if (index !== -1) connections.splice(index, 1);
      connection.failAll((command) => closedError(command));
      if (!closed) log(`extension disconnected (${connections.length} open)`);
    });
  };

  const onMessage = (connection: ExtensionConnection, text: string): void => {
    const message = parseExtensionFrame(text);
    const reply = (body: HelloAckMessage | PortListResponseMessage): void => {
      if (connection.open) connection.socket.send(JSON.stringify(body));
    };
    switch (message.kind) {
      case 'hello':
        // Only a connection that said hello may take commands: the older extension's legacy mode
        // keeps opening sockets that never do, and they must not take commands from the real one.
        connection.greeted = true;
        reply({ type: 'helloAck', instanceId, port: port() });
        return;
      case 'portListRequest':
        listPorts().then(
          (ports) => reply({ type: 'portListResponse', ports: [...ports] }),
          (error: unknown) => {
            log(`could not list the live instances: ${(error as Error).message}`);
            reply({ type: 'portListResponse', ports: [port()] });
          },
        );
        return;
      case 'ping':
      case 'event':
        // Keep-alives, and unsolicited events of the older extension's main line: nothing to do.
        return;
      case 'reply':
        if (!connection.settle(message.id, { payload: message.payload })) {
          log(`ignored a reply to unknown command id ${message.id}`);
        }
        return;
      case 'error':
        if (!connection.settle(message.id, { error: message.error, code: message.code })) {
          log(`ignored an error for unknown command id ${message.id}`);
        }
        return;
      case 'unknown':
        log(`ignored a message from the extension (${message.reason}): ${text.slice(0, 120)}`);
    }
  };

  /** The newest open connection that said hello. */
  const active = (): ExtensionConnection | undefined => connections.findLast((c) => c.open && c.greeted);

  const send: Bridge['send'] = async (command, payload, sendOptions = {}) => {
    const reply = await request(command, payload, sendOptions);
    try {
      return decodeReply(command, reply);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      throw new BrowserMcpError(
        error.code,
        `The browser extension could not do '${command}': ${error.message}`,
        {
          cause: error,
        },
      );
    }
  };

  const request = <T extends CommandType>(
    command: T,
    payload: CommandPayloads[T],
    sendOptions: SendOptions,
  ): Promise<unknown> => {
    if (closed) {
      return Promise.reject(new BrowserMcpError('EBRIDGECLOSED', 'browser-mcp is shutting down.'));
    }
    const connection = active();
    if (!connection) {
      const silent = connections.some((c) => c.open)
        ? ' (a socket is open but never said hello: switch the extension to multi-instance mode)'
        : '';
      return Promise.reject(
        new BrowserMcpError(
          'ENOEXTENSION',
          `No browser extension is connected to browser-mcp instance ${instanceId}${silent}. ` +
            `Open the Browser MCP extension and connect it to port ${port()} (${endpoint()}), then try again.`,
        ),
      );
    }
    const timeoutMs = (sendOptions.timeoutMs ?? commandTimeoutMs) + (sendOptions.extraTimeoutMs ?? 0);
    const message = {
      id: nextId++,
      type: command,
      payload,
      instanceId,
      ...(options.dialogs ? { dialogs: options.dialogs } : {}),
    } as CommandMessage;
    return connection.request(message, {
      timeoutMs,
      ...(sendOptions.signal ? { signal: sendOptions.signal } : {}),
      timeoutError: () =>
        new BrowserMcpError(
          'ECOMMANDTIMEOUT',
          `The browser extension did not answer '${command}' within ${timeoutMs} ms. ` +
            `Check that the extension is still connected to port ${port()} and its tab is open, then try again.`,
        ),
    });
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    server.off('request', onRequest);
    server.off('upgrade', onUpgrade);
    const closing = connections.map(
      (connection) => new Promise<void>((resolve) => connection.socket.once('close', () => resolve())),
    );
    for (const connection of connections) {
      connection.failAll(
        (command) =>
          new BrowserMcpError('EBRIDGECLOSED', `browser-mcp shut down before '${command}' finished.`),
      );
      // terminate, not close: a hung extension must not delay shutdown by the close handshake.
      connection.socket.terminate();
    }
    await Promise.all(closing);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };

  server.on('request', onRequest);
  server.on('upgrade', onUpgrade);

  return {
    instanceId,
    get port() {
      return port();
    },
    get connectionCount() {
      return connections.length;
    },
    get helloCount() {
      return connections.filter((c) => c.greeted).length;
    },
    send,
    close,
    [Symbol.asyncDispose]: close,
  };
}
