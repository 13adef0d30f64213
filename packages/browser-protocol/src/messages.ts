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
}

/** Extension → server: asks who this server is. */
export interface HelloMessage {
  readonly type: 'hello';
  readonly wants?: 'instanceId';
}

/** Server → extension: the answer to `hello`. A server counts only once it sent this. */
export interface HelloAckMessage {
  readonly type: 'helloAck';
  readonly instanceId: string;
  readonly port: number;
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
