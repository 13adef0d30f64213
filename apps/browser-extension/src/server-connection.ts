import {
  type AnyCommand,
  type ExtensionHandshake,
  errorMessage,
  type Handler,
  LIMITS,
  ProtocolError,
  parseServerFrame,
  replyMessage,
  startExtensionHandshake,
} from '@ports/browser-protocol';
import { setDialogPolicy } from './commands/context.js';
import { HANDLERS } from './commands/index.js';

/** A keep-alive every 20 s: the server sees a live socket, and Chrome keeps the service worker running. */
export const PING_INTERVAL_MS = 20_000;

/** The longest one command may hold its instance's queue (the protocol's shared limit). */
const COMMAND_BOUND_MS = LIMITS.commandBoundMs;

/** How long a server has to finish the handshake (`helloAck`, then `authResult`) before the socket is dropped. */
const HELLO_TIMEOUT_MS = 5_000;

/** What a connection tells its manager. */
export interface ConnectionEvents {
  /** Both sides proved they are paired: from now on the server's commands run. */
  onReady(connection: ServerConnection): void;
  /** The server could not prove it is paired with this browser, or refused our proof: never driven. */
  onUnpaired(connection: ServerConnection, reason: string): void;
  /** The server's label changed (its MCP client introduced itself). */
  onLabel(connection: ServerConnection): void;
  /** The socket closed (or never opened). */
  onClose(connection: ServerConnection, wasReady: boolean): void;
  /** The server listed the ports of every live instance. */
  onPorts(ports: readonly number[]): void;
}

/**
 * One WebSocket to one browser-mcp server on 127.0.0.1: the pairing handshake (`hello` with our
 * nonce, the server's proof in `helloAck`, ours in `auth`, its `authResult`), then
 * `portListRequest`, pings, and the commands it sends, run one at a time, each answered once.
 * Trust is decided once, by the handshake; nothing the socket sends before it is acted on.
 */
export class ServerConnection {
  readonly port: number;
  /** The instance id the server proved in the handshake (undefined until then). */
  instanceId: string | undefined;
  /** What people call the instance, as the server says. */
  label: string | undefined;
  #ready = false;
  readonly #handshake: ExtensionHandshake;
  /** Frames are handled one after another: a proof is checked before the next frame is read. */
  #inbox: Promise<void> = Promise.resolve();
  readonly #socket: WebSocket;
  readonly #events: ConnectionEvents;
  #ping: ReturnType<typeof setInterval> | undefined;
  #helloTimer: ReturnType<typeof setTimeout> | undefined;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(port: number, key: Uint8Array, events: ConnectionEvents) {
    this.port = port;
    this.#events = events;
    this.#handshake = startExtensionHandshake(key, port);
    // Loopback only, whatever the settings say: nothing else may drive this browser.
    this.#socket = new WebSocket(`ws://127.0.0.1:${port}`);
    this.#socket.onopen = () => {
      this.#send(this.#handshake.hello);
      this.#helloTimer = setTimeout(
        () => this.#unpaired('the server did not finish the handshake'),
        HELLO_TIMEOUT_MS,
      );
    };
    this.#socket.onmessage = (event) => {
      const text = String(event.data);
      this.#inbox = this.#inbox.then(() => this.#onMessage(text)).catch(() => this.close());
    };
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

  /** Gives up on a server that is not (or not provably) paired with us: it is never driven. */
  #unpaired(reason: string): void {
    if (this.#closed) return;
    this.#events.onUnpaired(this, reason);
    this.close();
  }

  async #onMessage(text: string): Promise<void> {
    if (this.#closed) return;
    const frame = parseServerFrame(text);
    if (!this.#ready) {
      // Before the handshake ends only its own frames count; anything else is dropped unread.
      if (frame.kind === 'helloAck' && this.instanceId === undefined) {
        const answer = await this.#handshake.answer(frame);
        if (!answer.ok) return this.#unpaired(answer.reason);
        this.instanceId = frame.instanceId;
        this.label = frame.label;
        this.#send(answer.auth);
      } else if (frame.kind === 'authResult' && this.#handshake.proven) {
        if (!frame.ok) {
          return this.#unpaired(
            frame.message ?? `the server refused this browser's pairing (${frame.code ?? 'no reason'})`,
          );
        }
        clearTimeout(this.#helloTimer);
        if (frame.label) this.label = frame.label;
        this.#ready = true;
        this.#ping = setInterval(() => this.#send({ type: 'ping' }), PING_INTERVAL_MS);
        this.#send({ type: 'portListRequest' });
        this.#events.onReady(this);
      } else if (frame.kind === 'authResult') {
        this.#unpaired(frame.message ?? 'the server refused this browser');
      }
      return;
    }
    switch (frame.kind) {
      case 'helloAck':
      case 'authResult':
        return;
      case 'instanceLabel':
        this.label = frame.label;
        this.#events.onLabel(this);
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
        if (frame.instanceId !== this.instanceId) {
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
        // A command queued behind others runs only if the socket is still open and paired then
        // (an Unpair or a new pairing closes it meanwhile).
        this.#queue = this.#queue.then(() =>
          this.#closed ? undefined : this.#run(frame.id, command, instanceId),
        );
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
