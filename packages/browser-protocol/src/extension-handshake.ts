import type { AuthMessage, HelloAckMessage, HelloMessage } from './messages.js';
import {
  createNonce,
  EXTENSION_DIAL_ADDRESS,
  handshakeProof,
  PAIRING_VERSION,
  verifyHandshakeProof,
} from './pairing.js';

/** The extension's side of one pairing handshake with the server on one port. */
export interface ExtensionHandshake {
  /** The `hello` to send first. */
  readonly hello: HelloMessage;
  /**
   * Checks the server's proof in its `helloAck`: the `auth` to send back when it holds, or why the
   * server is not to be trusted (it is then never driven).
   */
  answer(ack: HelloAckMessage): Promise<{ ok: true; auth: AuthMessage } | { ok: false; reason: string }>;
  /**
   * True once {@link ExtensionHandshake.answer} has checked the server's proof and sent it ours:
   * only then does an `authResult` mean anything (a rogue listener can send one unasked).
   */
  readonly proven: boolean;
}

/**
 * Starts a handshake with the server on `port` (the port this extension dialled: a server reached
 * through a relay on another port signs its own port, and fails).
 *
 * @example
 * ```ts source="./index.examples.ts#startExtensionHandshake"
 * const handshake = startExtensionHandshake(key, 8765);
 * socket.send(JSON.stringify(handshake.hello));
 * // …then, with the server's helloAck:
 * const answer = await handshake.answer(helloAck);
 * if (answer.ok) socket.send(JSON.stringify(answer.auth));
 * ```
 */
export function startExtensionHandshake(key: Uint8Array, port: number): ExtensionHandshake {
  const extensionNonce = createNonce();
  let answered = false;
  let proven = false;
  return {
    hello: {
      type: 'hello',
      wants: 'instanceId',
      pairing: { version: PAIRING_VERSION, nonce: extensionNonce },
    },
    async answer(ack) {
      // One helloAck per handshake: a second one (replayed or spliced in) is never answered.
      if (answered) return { ok: false, reason: 'a second helloAck on one socket' };
      answered = true;
      if (!ack.pairing) return { ok: false, reason: 'the server does not pair (an older or foreign server)' };
      const binding = {
        address: EXTENSION_DIAL_ADDRESS,
        port,
        instanceId: ack.instanceId,
        extensionNonce,
        serverNonce: ack.pairing.nonce,
      };
      if (!(await verifyHandshakeProof(key, 'server', binding, ack.pairing.proof))) {
        return { ok: false, reason: 'the server could not prove it knows this browser’s pairing secret' };
      }
      const auth: AuthMessage = { type: 'auth', proof: await handshakeProof(key, 'extension', binding) };
      proven = true;
      return { ok: true, auth };
    },
    get proven() {
      return proven;
    },
  };
}
