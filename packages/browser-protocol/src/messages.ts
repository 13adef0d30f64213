import type { AnyCommand, CommandType } from './commands.js';
import type { ErrorCode } from './errors.js';

/** The range of ports servers take by default, and the extension scans. */
export const DEFAULT_PORT_RANGE = { start: 8765, end: 8775 } as const;

/** What `GET /` (and `HEAD /`) of a server answers, so an extension can tell one apart. */
export interface DiscoveryInfo {
  /** Always `"browser-mcp"`. */
  readonly name: 'browser-mcp';
  readonly instanceId: string;
  readonly port: number;
  readonly pid: number;
  /** ms since the epoch. */
  readonly startedAt: number;
  /** What people call this instance. */
  readonly label?: string;
}

/** Extension → server: asks who this server is, and (paired extensions) opens the handshake. */
export interface HelloMessage {
  readonly type: 'hello';
  readonly wants?: 'instanceId';
  /** The extension's side of the pairing handshake; the older extension sends none. */
  readonly pairing?: { readonly version: number; readonly nonce: string };
}

/**
 * Server → extension: the answer to `hello`. With `pairing`, the server's nonce and its proof over
 * both nonces, its port and instance id (see `handshakeProof`).
 */
export interface HelloAckMessage {
  readonly type: 'helloAck';
  readonly instanceId: string;
  readonly port: number;
  /** What people call this instance (`--name`, or the MCP client's name and working folder). */
  readonly label?: string;
  readonly pairing?: { readonly nonce: string; readonly proof: string };
}

/** Extension → server: the extension's proof, sent once it verified the server's. */
export interface AuthMessage {
  readonly type: 'auth';
  readonly proof: string;
  /**
   * Only check the pairing, then close (the extension's options page confirming a code): the socket
   * never takes commands, so a command waiting for an extension is not handed to it.
   */
  readonly verifyOnly?: boolean;
}

/**
 * Server → extension: whether the extension's proof held. After `ok: true` the server may send
 * commands on this socket, and only on it; after `ok: false` it closes the socket.
 */
export interface AuthResultMessage {
  readonly type: 'authResult';
  readonly ok: boolean;
  /** Why not, as a code (`EUNPAIRED`, `EBADPROOF`…) and words. */
  readonly code?: string;
  readonly message?: string;
  /** With `ok`: what people call this instance, told only once the extension proved itself. */
  readonly label?: string;
}

/** Server → extension: the instance's label changed (the MCP client introduced itself). */
export interface InstanceLabelMessage {
  readonly type: 'instanceLabel';
  readonly label: string;
}

/** Extension → server: asks for the ports of every live server. */
export interface PortListRequestMessage {
  readonly type: 'portListRequest';
}

/** Server → extension: the ports of every live server (read from the registry). */
export interface PortListResponseMessage {
  readonly type: 'portListResponse';
  readonly ports: readonly number[];
}

/** Extension → server: keep-alive; no answer. */
export interface PingMessage {
  readonly type: 'ping';
}

/** How the extension answers dialogs for an instance: at once (`accept`, `dismiss`), or not (absent: the model answers with `browser_handle_dialog`). */
export type DialogPolicy = 'accept' | 'dismiss';

/**
 * Server → extension: one command. `id` pairs it with its reply; `instanceId` is the sender's;
 * `dialogs` is the sender's `--dialogs` choice, stamped on every command like its instance.
 */
export type CommandMessage = {
  readonly id: number;
  readonly instanceId: string;
  readonly dialogs?: DialogPolicy;
} & AnyCommand;

/**
 * Extension → server, first shape (v1.21.0, and ours): `{id, type, payload}`, or `{id, error, code}`
 * (`code` is ours: the older extension sends none).
 */
export type ReplyMessage =
  | { readonly id: number; readonly type?: string; readonly payload: unknown }
  | { readonly id: number; readonly error: string; readonly code?: ErrorCode };

/** Extension → server, second shape (the older extension's main line): keyed by `wireId`. */
export type WireResponseMessage =
  | { readonly wireId: number | string; readonly type: 'response'; readonly data: unknown }
  | { readonly wireId: number | string; readonly type: 'response'; readonly error: unknown };

/** Builds the reply an extension sends for command `id` (the shape every server of this protocol reads). */
export function replyMessage(id: number, type: CommandType, payload: unknown): ReplyMessage {
  return { id, type, payload };
}

/** Builds the error reply an extension sends for command `id`: its code, and what went wrong. */
export function errorMessage(id: number, code: ErrorCode, error: string): ReplyMessage {
  return { id, error, code };
}
