/**
 * The wire protocol between this server and the browser extension, as JSON text frames.
 *
 * Extension → server: `hello`, `portListRequest`, `ping`, and replies to commands.
 * Server → extension: `helloAck`, `portListResponse`, and commands.
 */

/** A command sent to the extension. `id` pairs it with its reply. */
export interface CommandMessage {
  readonly id: number;
  readonly type: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly instanceId: string;
}

/** Answer to `{"type":"hello","wants":"instanceId"}`. */
export interface HelloAckMessage {
  readonly type: 'helloAck';
  readonly instanceId: string;
  readonly port: number;
}

/** Answer to `{"type":"portListRequest"}`: the ports of every live instance. */
export interface PortListResponseMessage {
  readonly type: 'portListResponse';
  readonly ports: readonly number[];
}

/** A message from the extension, classified. */
export type ExtensionMessage =
  | { readonly kind: 'hello' }
  | { readonly kind: 'portListRequest' }
  | { readonly kind: 'ping' }
  | { readonly kind: 'reply'; readonly id: number; readonly payload: unknown }
  | { readonly kind: 'error'; readonly id: number; readonly error: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * Classifies one text frame from the extension. Anything that is not a JSON object, or
 * that we do not understand, comes back as `kind: 'unknown'` with the reason, never a throw:
 * a confused extension must not take the server down.
 */
export function parseExtensionMessage(text: string): ExtensionMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'unknown', reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'unknown', reason: 'not a JSON object' };
  }
  const message = value as Record<string, unknown>;
  if (typeof message.id === 'number' && Number.isSafeInteger(message.id)) {
    if ('error' in message && message.error !== undefined && message.error !== null) {
      const error = typeof message.error === 'string' ? message.error : JSON.stringify(message.error);
      return { kind: 'error', id: message.id, error };
    }
    return { kind: 'reply', id: message.id, payload: message.payload ?? {} };
  }
  switch (message.type) {
    case 'hello':
      return { kind: 'hello' };
    case 'portListRequest':
      return { kind: 'portListRequest' };
    case 'ping':
      return { kind: 'ping' };
    default:
      return { kind: 'unknown', reason: `unknown type ${JSON.stringify(message.type)}` };
  }
}
