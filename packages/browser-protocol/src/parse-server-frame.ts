import { type AnyCommand, type CommandType, isCommandType, parsePayload } from './commands.js';
import { ProtocolError } from './errors.js';
import { parseJsonObject } from './json-object.js';
import type {
  AuthResultMessage,
  DialogPolicy,
  HelloAckMessage,
  InstanceLabelMessage,
  PortListResponseMessage,
} from './messages.js';
import { isNonce } from './pairing.js';

/** A frame from a server, classified by the extension. */
export type ServerFrame =
  | ({ readonly kind: 'helloAck' } & HelloAckMessage)
  | ({ readonly kind: 'portListResponse' } & PortListResponseMessage)
  | ({ readonly kind: 'authResult' } & AuthResultMessage)
  | ({ readonly kind: 'instanceLabel' } & InstanceLabelMessage)
  | ({
      readonly kind: 'command';
      readonly id: number;
      readonly instanceId: string;
      readonly dialogs?: DialogPolicy;
    } & AnyCommand)
  | {
      /** A command of the table whose payload is not valid: answer with `error`'s code and message. */
      readonly kind: 'invalid';
      readonly id: number;
      readonly type: CommandType;
      readonly error: ProtocolError;
    }
  | { readonly kind: 'unsupported'; readonly id: number; readonly type: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * Classifies one text frame from a server. A command's payload is validated here, once, so a
 * handler gets it typed; one that does not validate comes back as `invalid` (answer it with the
 * error), a command the protocol does not define as `unsupported`, anything unreadable as `unknown`.
 *
 * @example
 * ```ts source="./index.examples.ts#parseServerFrame"
 * const frame = parseServerFrame(event.data);
 * if (frame.kind === 'command' && frame.type === 'dom.click') click(frame.payload.ref);
 * ```
 */
export function parseServerFrame(text: string): ServerFrame {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return { kind: 'unknown', reason: parsed.reason };
  const message = parsed.value;
  const { type } = message;
  if (type === 'helloAck') {
    if (typeof message.instanceId !== 'string' || !isPort(message.port)) {
      return { kind: 'unknown', reason: 'helloAck without instanceId and port' };
    }
    const pairing = message.pairing as { nonce?: unknown; proof?: unknown } | undefined;
    return {
      kind: 'helloAck',
      type,
      instanceId: message.instanceId,
      port: message.port,
      ...(isLabel(message.label) ? { label: message.label } : {}),
      ...(pairing && isNonce(pairing.nonce) && typeof pairing.proof === 'string'
        ? { pairing: { nonce: pairing.nonce, proof: pairing.proof } }
        : {}),
    };
  }
  if (type === 'authResult') {
    return {
      kind: 'authResult',
      type,
      ok: message.ok === true,
      ...(typeof message.code === 'string' ? { code: message.code } : {}),
      ...(typeof message.message === 'string' ? { message: message.message } : {}),
      ...(isLabel(message.label) ? { label: message.label } : {}),
    };
  }
  if (type === 'instanceLabel') {
    if (!isLabel(message.label)) return { kind: 'unknown', reason: 'instanceLabel without a label' };
    return { kind: 'instanceLabel', type, label: message.label };
  }
  if (type === 'portListResponse') {
    const ports = Array.isArray(message.ports) ? message.ports.filter(isPort) : [];
    return { kind: 'portListResponse', type, ports };
  }
  if (typeof message.id === 'number' && Number.isSafeInteger(message.id) && typeof type === 'string') {
    const id = message.id;
    if (!isCommandType(type)) return { kind: 'unsupported', id, type };
    const instanceId = typeof message.instanceId === 'string' ? message.instanceId : '';
    try {
      const payload = parsePayload(type, message.payload);
      const dialogs =
        message.dialogs === 'accept' || message.dialogs === 'dismiss' ? message.dialogs : undefined;
      return {
        kind: 'command',
        id,
        instanceId,
        type,
        payload,
        ...(dialogs ? { dialogs } : {}),
      } as ServerFrame;
    } catch (error) {
      const failure =
        error instanceof ProtocolError
          ? error
          : new ProtocolError('EBADARGS', String(error), { cause: error });
      return { kind: 'invalid', id, type, error: failure };
    }
  }
  return { kind: 'unknown', reason: `unknown type ${JSON.stringify(type)}` };
}

/** Labels are short text for people: anything else is dropped rather than shown. */
function isLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65_536;
}
