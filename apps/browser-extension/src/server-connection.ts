import {
  type AnyCommand,
  errorMessage,
  type Handler,
  LIMITS,
  ProtocolError,
  parseServerFrame,
  replyMessage,
} from '@ports/browser-protocol';
import { setDialogPolicy } from './commands/context.js';
import { HANDLERS } from './commands/index.js';

/** A keep-alive every 20 s: the server sees a live socket, and Chrome keeps the service worker running. */
export const PING_INTERVAL_MS = 20_000;

/** The longest one command may hold its instance's queue (the protocol's shared limit). */
const COMMAND_BOUND_MS = LIMITS.commandBoundMs;

/** How long a server has to answer `hello` before the socket is dropped. */
const HELLO_TIMEOUT_MS = 5_000;

/** What a connection tells its manager. */
export interface ConnectionEvents {
  /** The server answered `helloAck`: from now on it counts. */
  onReady(connection: ServerConnection): void;
  /** The socket closed (or never opened). */
  onClose(connection: ServerConnection, wasReady: boolean): void;
  /** The server listed the ports of every live instance. */
  onPorts(ports: readonly number[]): void;
}

/**
 * One WebSocket to one browser-mcp server on 127.0.0.1: `hello`, `portListRequest`, pings, and
 * the commands it sends, run one at a time, each answered once.
 */
export class ServerConnection {
  readonly port: number;
  /** The instance id the server announced in `helloAck` (undefined until then). */
  instanceId: string | undefined;
  #ready = false;
  readonly #socket: WebSocket;
  readonly #events: ConnectionEvents;
  #ping: ReturnType<typeof setInterval> | undefined;
  #helloTimer: ReturnType<typeof setTimeout> | undefined;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(port: number, events: ConnectionEvents) {
    this.port = port;
    this.#events = events;
    // Loopback only, whatever the settings say: nothing else may drive this browser.
    this.#socket = new WebSocket(`ws://127.0.0.1:${port}`);
    this.#socket.onopen = () => {
      this.#send({ type: 'hello', wants: 'instanceId' });
      this.#helloTimer = setTimeout(() => this.close(), HELLO_TIMEOUT_MS);
    };
    this.#socket.onmessage = (event) => this.#onMessage(String(event.data));
    this.#socket.onclose = () => this.#onClosed();
    this.#socket.onerror = () => {
      // onclose follows and does the work.
    };
  }

  /** True once the server answered `helloAck`. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Closes the socket; the manager hears of it through `onClose`. */
  close(): void {
    try {
      this.#socket.close();
    } catch {
      this.#onClosed();
    }
  }

  #send(message: unknown): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  #onMessage(text: string): void {
    const frame = parseServerFrame(text);
    switch (frame.kind) {
      case 'helloAck':
        if (this.#ready) return;
        clearTimeout(this.#helloTimer);
        this.instanceId = frame.instanceId;
        this.#ready = true;
        this.#ping = setInterval(() => this.#send({ type: 'ping' }), PING_INTERVAL_MS);
        this.#send({ type: 'portListRequest' });
        this.#events.onReady(this);
        return;
      case 'portListResponse':
        this.#events.onPorts(frame.ports);
        return;
      case 'unsupported':
        this.#send(
          errorMessage(frame.id, 'EUNSUPPORTED', `This extension does not know the command '${frame.type}'.`),
        );
        return;
      case 'invalid':
        this.#send(errorMessage(frame.id, frame.error.code, `'${frame.type}': ${frame.error.message}`));
        return;
      case 'command': {
        if (!this.#ready || frame.instanceId !== this.instanceId) {
          this.#send(
            errorMessage(
              frame.id,
              'EWRONGINSTANCE',
              `Command for instance ${frame.instanceId || '(none)'} arrived on the connection of ${this.instanceId ?? 'a server that did not say helloAck'}.`,
            ),
          );
          return;
        }
        const instanceId = this.instanceId;
        setDialogPolicy(instanceId, frame.dialogs);
        const command = { type: frame.type, payload: frame.payload } as AnyCommand;
        this.#queue = this.#queue.then(() => this.#run(frame.id, command, instanceId));
        return;
      }
      case 'unknown':
        return;
    }
  }

  async #run(id: number, { type, payload }: AnyCommand, instanceId: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ProtocolError(
              'ETIMEOUT',
              `'${type}' was still running after ${COMMAND_BOUND_MS / 1000} s; it was given up.`,
            ),
          ),
        COMMAND_BOUND_MS,
      );
    });
    try {
      // The frame paired type and payload; the table pairs type and handler.
      const handler = HANDLERS[type] as Handler<typeof type>;
      const reply = await Promise.race([handler(instanceId, payload as never), bound]);
      this.#send(replyMessage(id, type, reply));
    } catch (error) {
      const code = error instanceof ProtocolError ? error.code : 'EEXTENSION';
      this.#send(errorMessage(id, code, (error as Error)?.message ?? String(error)));
    } finally {
      clearTimeout(timer);
    }
  }

  #onClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#ping);
    clearTimeout(this.#helloTimer);
    const wasReady = this.#ready;
    this.#ready = false;
    this.#events.onClose(this, wasReady);
  }
}
