import { type ErrorCode, isErrorCode } from './errors.js';
import { parseJsonObject } from './json-object.js';
import { isNonce, PAIRING_VERSION } from './pairing.js';
import { errorText } from './replies.js';

/** A frame from the extension, classified by the server. */
export type ExtensionFrame =
  | {
      readonly kind: 'hello';
      /** The extension's nonce, when it opened the pairing handshake (absent: the older extension). */
      readonly pairing?: { readonly nonce: string };
      /** Set when the extension offered a handshake version this protocol does not speak. */
      readonly unsupportedPairing?: number;
    }
  | { readonly kind: 'auth'; readonly proof: string; readonly verifyOnly: boolean }
  | { readonly kind: 'portListRequest' }
  | { readonly kind: 'ping' }
  | { readonly kind: 'reply'; readonly id: number; readonly payload: unknown }
  | { readonly kind: 'error'; readonly id: number; readonly code: ErrorCode; readonly error: string }
  | { readonly kind: 'event'; readonly name: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * Classifies one text frame from the extension. Both reply shapes are read: `{id, payload}` /
 * `{id, error, code?}` and `{wireId, type: "response", data}` / `{wireId, type: "response", error}`.
 * An error's `code` is kept; one without a code we know is `EEXTENSION`. Anything else comes back
 * as `kind: 'unknown'` with the reason, never a throw: a confused extension must not take the
 * server down.
 *
 * @example
 * ```ts source="./index.examples.ts#parseExtensionFrame"
 * parseExtensionFrame('{"wireId":7,"type":"response","data":{"ok":1}}'); // { kind: 'reply', id: 7, payload: { ok: 1 } }
 * parseExtensionFrame('{"id":8,"error":"gone","code":"ESTALEREF"}'); // { kind: 'error', id: 8, code: 'ESTALEREF', error: 'gone' }
 * ```
 */
export function parseExtensionFrame(text: string): ExtensionFrame {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return { kind: 'unknown', reason: parsed.reason };
  const message = parsed.value;
  if (message.type === 'response' || 'wireId' in message) {
    const id = commandId(message.wireId);
    if (id === undefined) return { kind: 'unknown', reason: 'a response without a usable wireId' };
    if (isPresent(message.error)) return errorFrame(id, message);
    return { kind: 'reply', id, payload: message.data ?? message.payload ?? {} };
  }
  const id = commandId(message.id);
  if (id !== undefined) {
    if (isPresent(message.error)) return errorFrame(id, message);
    return { kind: 'reply', id, payload: message.payload ?? message.data ?? {} };
  }
  switch (message.type) {
    case 'hello':
      return helloFrame(message.pairing);
    case 'auth':
      return typeof message.proof === 'string'
        ? { kind: 'auth', proof: message.proof, verifyOnly: message.verifyOnly === true }
        : { kind: 'unknown', reason: 'auth without a proof' };
    case 'portListRequest':
      return { kind: 'portListRequest' };
    case 'ping':
      return { kind: 'ping' };
    case 'event':
      return { kind: 'event', name: String(message.event ?? message.name ?? '') };
    default:
      return { kind: 'unknown', reason: `unknown type ${JSON.stringify(message.type)}` };
  }
}

function errorFrame(id: number, message: Record<string, unknown>): ExtensionFrame {
  const nested =
    typeof message.error === 'object' && message.error !== null
      ? (message.error as { code?: unknown }).code
      : undefined;
  const code = isErrorCode(message.code) ? message.code : isErrorCode(nested) ? nested : 'EEXTENSION';
  return { kind: 'error', id, code, error: errorText(message.error) };
}

function helloFrame(pairing: unknown): ExtensionFrame {
  if (typeof pairing !== 'object' || pairing === null) return { kind: 'hello' };
  const { version, nonce } = pairing as { version?: unknown; nonce?: unknown };
  if (version !== PAIRING_VERSION) {
    return { kind: 'hello', unsupportedPairing: typeof version === 'number' ? version : -1 };
  }
  if (!isNonce(nonce)) return { kind: 'unknown', reason: 'hello with a malformed pairing nonce' };
  return { kind: 'hello', pairing: { nonce } };
}

/** Our ids are safe integers; a reply may echo one as a decimal string. */
function commandId(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== '';
}
