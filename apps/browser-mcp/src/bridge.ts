import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type CommandMessage,
  type CommandPayloads,
  type CommandReplies,
  type CommandType,
  decodeReply,
  type InstanceLabelMessage,
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
import {
  answerHello,
  checkAuth,
  HANDSHAKE_TIMEOUT_MS,
  type HandshakeContext,
  MAX_PENDING_HANDSHAKES,
  PAIR_HINT,
} from './pairing/server-handshake.js';
import type { PairingKeySource } from './pairing/server-key.js';

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
  /** This user's pairing key: only an extension that proves it knows it takes commands. */
  readonly pairing: PairingKeySource;
  /** Also let in the older extension, which cannot pair (`--allow-unpaired`); warns on each. */
  readonly allowUnpaired?: boolean;
  /** How long a command waits for a paired extension when none is connected (default 10 000 ms). */
  readonly connectTimeoutMs?: number;
  /** What people call this instance, shown by the extension (see {@link Bridge.setLabel}). */
  readonly label?: string;
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
  /** How many of them may take commands: paired (or, under `allowUnpaired`, the older extension). The newest is the active one. */
  readonly helloCount: number;
  /** The instance's label as the extension shows it. */
  readonly label: string | undefined;
  /** Changes the label and tells every connected extension. */
  setLabel(label: string): void;
  /**
   * Sends `command` to the active extension connection and resolves with its reply, decoded by
   * the protocol (either reply shape). With no paired extension connected it waits up to the
   * connect timeout for one (a socket still in its handshake included). Rejects with a
   * {@link BrowserMcpError}: `ENOEXTENSION` when none came (the message says to open the browser
   * or pair), `ECOMMANDTIMEOUT`, `ECONNECTIONCLOSED`, `EABORTED`, `EBRIDGECLOSED`, or the
   * extension's own code (`ESTALEREF`, `EDIALOGOPEN`…; `EFAILED` / `EBADREPLY` for a reply that
   * says it failed or cannot be read).
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
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  const log = options.log ?? ((line: string) => process.stderr.write(`browser-mcp: ${line}\n`));
  let label = options.label;
  /** Commands waiting for a paired extension to connect. */
  const waiting = new Set<() => void>();
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
    reply(200, {
      name: 'browser-mcp',
      instanceId,
      port: port(),
      pid: process.pid,
      startedAt,
      ...(label ? { label } : {}),
    });
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const origin = request.headers.origin;
    if (closed || !isOriginAllowed(origin, allowOrigins)) {
      if (!closed) log(`refused WebSocket from origin ${origin}`);
      const status = closed ? '503 Service Unavailable' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    if (connections.filter((c) => c.open && !c.trusted).length >= MAX_PENDING_HANDSHAKES) {
      log(`refused a WebSocket: ${MAX_PENDING_HANDSHAKES} sockets are already in their handshake`);
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const localAddress = request.socket.localAddress ?? '127.0.0.1';
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, origin, localAddress));
  };

  const accept = (ws: WebSocket, origin: string | undefined, localAddress: string): void => {
    const connection = new ExtensionConnection(ws, origin, localAddress);
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
    // A socket that never finishes the handshake is not kept: it holds a slot and proves nothing.
    const deadline = setTimeout(() => {
      if (connection.trusted || !connection.open) return;
      log(`closed an extension socket that did not pair within ${HANDSHAKE_TIMEOUT_MS} ms`);
      connection.socket.close(1008, 'handshake timeout');
    }, HANDSHAKE_TIMEOUT_MS);
    deadline.unref();
    ws.on('close', () => {
      clearTimeout(deadline);
      const index = connections.indexOf(connection);
      if (index !== -1) connections.splice(index, 1);
      connection.failAll((command) => closedError(command));
      if (!closed) log(`extension disconnected (${connections.length} open)`);
    });
  };

  const handshake: HandshakeContext = {
    instanceId,
    port: () => port(),
    pairing: options.pairing,
    allowUnpaired: options.allowUnpaired ?? false,
    label: () => label,
    log,
    onTrusted: (connection) => {
      log(
        connection.trust === 'paired'
          ? `extension paired${connection.origin ? ` (${connection.origin})` : ''}`
          : 'unpaired extension let in (--allow-unpaired)',
      );
      for (const wake of [...waiting]) wake();
    },
  };

  const onMessage = (connection: ExtensionConnection, text: string): void => {
    const message = parseExtensionFrame(text);
    const reply = (body: PortListResponseMessage): void => {
      if (connection.open) connection.socket.send(JSON.stringify(body));
    };
    // Trust is decided once per socket, by the handshake; every later frame is checked against it.
    if (message.kind === 'hello') {
      answerHello(connection, message, handshake);
      return;
    }
    if (message.kind === 'auth') {
      checkAuth(connection, message, handshake);
      return;
    }
    if (!connection.trusted && message.kind !== 'unknown') {
      if (message.kind !== 'ping')
        log(`ignored a ${message.kind} frame from an extension that has not paired`);
      return;
    }
    switch (message.kind) {
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

  /** The newest open connection that may take commands. */
  const active = (): ExtensionConnection | undefined => connections.findLast((c) => c.open && c.trusted);

  /** The active connection, waiting up to the connect timeout for one to pair. */
  const activeWithin = (signal: AbortSignal | undefined): Promise<ExtensionConnection> => {
    const now = active();
    if (now) return Promise.resolve(now);
    return new Promise<ExtensionConnection>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        waiting.delete(wake);
        signal?.removeEventListener('abort', onAbort);
      };
      const wake = (): void => {
        if (closed) {
          finish();
          reject(new BrowserMcpError('EBRIDGECLOSED', 'browser-mcp is shutting down.'));
          return;
        }
        const connection = active();
        if (!connection) return;
        finish();
        resolve(connection);
      };
      const onAbort = (): void => {
        finish();
        reject(
          new BrowserMcpError(
            'EABORTED',
            'The command was cancelled while waiting for the browser extension.',
            {
              cause: signal?.reason,
            },
          ),
        );
      };
      // Not unref'd: a tool call waiting for the browser is real work.
      const timer = setTimeout(() => {
        finish();
        reject(noExtensionError());
      }, connectTimeoutMs);
      waiting.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  const noExtensionError = (): BrowserMcpError => {
    const unpaired = connections.some((c) => c.open && !c.trusted)
      ? ' A browser extension is connected but has not proved it is paired with this server.'
      : '';
    return new BrowserMcpError(
      'ENOEXTENSION',
      `No paired browser extension connected to browser-mcp instance ${instanceId} (port ${port()}, ${endpoint()}) within ${connectTimeoutMs} ms.${unpaired} ` +
        `Open the browser that has the browser-mcp extension; if it is open, pair it: ${PAIR_HINT}. Then try again.`,
    );
  };

  /**
   * Closes paired sockets whose key is not the current one (`browser-mcp pair --reset` ran): a new
   * secret unpairs every browser, also one connected now.
   */
  const dropStalePairings = (): void => {
    const key = options.pairing.key();
    for (const connection of connections) {
      if (connection.trust !== 'paired' || !connection.pairedKey || sameBytes(connection.pairedKey, key))
        continue;
      log('closed an extension paired with a secret that was reset: it must pair again');
      connection.trust = 'refused';
      connection.socket.close(1008, 'pairing reset');
    }
  };

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

  const request = async <T extends CommandType>(
    command: T,
    payload: CommandPayloads[T],
    sendOptions: SendOptions,
  ): Promise<unknown> => {
    if (closed) throw new BrowserMcpError('EBRIDGECLOSED', 'browser-mcp is shutting down.');
    dropStalePairings();
    const connection = await activeWithin(sendOptions.signal);
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
    for (const wake of [...waiting]) wake();
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
      return connections.filter((c) => c.trusted).length;
    },
    get label() {
      return label;
    },
    setLabel(next: string) {
      if (next === label) return;
      label = next;
      const message: InstanceLabelMessage = { type: 'instanceLabel', label: next };
      // A socket still in its handshake is told the label with its authResult.
      for (const connection of connections) {
        if (connection.open && connection.trusted) connection.socket.send(JSON.stringify(message));
      }
    },
    send,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
