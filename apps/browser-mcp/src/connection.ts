import type { CommandMessage, ErrorCode, HandshakeBinding } from '@ports/browser-protocol';
import type WebSocket from 'ws';
import { BrowserMcpError } from './errors.js';

interface Pending {
  readonly command: string;
  resolve(payload: unknown): void;
  reject(error: Error): void;
}

/** What a command needs besides its message: how long to wait and how to give up early. */
export interface RequestOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Builds the timeout error, so it can name the port the extension should use. */
  readonly timeoutError: () => BrowserMcpError;
}

/** One extension WebSocket and the commands waiting for its replies. */
export class ExtensionConnection {
  readonly socket: WebSocket;
  readonly origin: string | undefined;
  readonly #pending = new Map<number, Pending>();
  /**
   * How far this socket got: `new` (no hello yet), `handshaking` (helloAck sent, waiting for the
   * extension's proof), `paired` (it proved it knows the secret), `unpaired` (the older extension,
   * let in by `--allow-unpaired`), `refused` (closing). Only `paired` and `unpaired` take commands.
   */
  trust: 'new' | 'handshaking' | 'paired' | 'unpaired' | 'refused' = 'new';
  /** What the extension's proof must be bound to, while `handshaking`. */
  handshake: { readonly binding: HandshakeBinding; readonly key: Uint8Array } | undefined;
  /** The key this socket proved it knows: once the secret is reset, it gets no more commands. */
  pairedKey: Uint8Array | undefined;
  /** The address the socket reached on this machine (IPv4-mapped IPv6 as plain IPv4). */
  readonly localAddress: string;

  constructor(socket: WebSocket, origin: string | undefined, localAddress = '127.0.0.1') {
    this.socket = socket;
    this.origin = origin;
    this.localAddress = localAddress.startsWith('::ffff:') ? localAddress.slice(7) : localAddress;
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** True once commands may go to this socket. */
  get trusted(): boolean {
    return this.trust === 'paired' || this.trust === 'unpaired';
  }

  /** Sends `message` and resolves with the reply's payload, or rejects on error, timeout, abort or close. */
  request(message: CommandMessage, options: RequestOptions): Promise<unknown> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(message.type, signal));
    return new Promise<unknown>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(message.id);
      };
      const onAbort = (): void => {
        cleanup();
        reject(abortError(message.type, signal as AbortSignal));
      };
      // Not unref'd: a command in flight is real work the process is waiting for.
      const timer = setTimeout(() => {
        cleanup();
        reject(options.timeoutError());
      }, options.timeoutMs);
      this.#pending.set(message.id, {
        command: message.type,
        resolve: (payload) => {
          cleanup();
          resolve(payload);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.socket.send(JSON.stringify(message), (error) => {
        if (error) this.#pending.get(message.id)?.reject(closedError(message.type, error));
      });
    });
  }

  /** Settles the command `id` with the extension's answer; false when no command waits for it. */
  settle(
    id: number,
    outcome: { readonly payload: unknown } | { readonly error: string; readonly code: ErrorCode },
  ): boolean {
    const pending = this.#pending.get(id);
    if (!pending) return false;
    if ('error' in outcome) {
      // The extension's code crosses the wire: the error is rebuilt with it.
      pending.reject(
        new BrowserMcpError(
          outcome.code,
          `The browser extension failed '${pending.command}': ${outcome.error}`,
        ),
      );
    } else {
      pending.resolve(outcome.payload);
    }
    return true;
  }

  /** Fails every waiting command at once, e.g. because the socket closed. */
  failAll(makeError: (command: string) => Error): void {
    for (const pending of [...this.#pending.values()]) pending.reject(makeError(pending.command));
  }
}

/** The error for a command whose connection closed before it answered. */
export function closedError(command: string, cause?: unknown): BrowserMcpError {
  return new BrowserMcpError(
    'ECONNECTIONCLOSED',
    `The browser extension disconnected before answering '${command}'. Reconnect the extension and try again.`,
    { cause },
  );
}

function abortError(command: string, signal: AbortSignal): BrowserMcpError {
  return new BrowserMcpError('EABORTED', `'${command}' was cancelled before the extension answered.`, {
    cause: signal.reason,
  });
}
