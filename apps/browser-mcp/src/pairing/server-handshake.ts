import {
  type AuthResultMessage,
  createNonce,
  type ExtensionFrame,
  type HelloAckMessage,
  PAIRING_VERSION,
} from '@ports/browser-protocol';
import type { ExtensionConnection } from '../connection.js';
import { proofSync, verifyProofSync } from './proof.js';
import type { PairingKeySource } from './server-key.js';

/** How long a socket may stay between its opening and a valid proof before it is closed. */
export const HANDSHAKE_TIMEOUT_MS = 5_000;

/** At most this many sockets may be in their handshake at once: a flood cannot crowd out the real extension. */
export const MAX_PENDING_HANDSHAKES = 32;

/** What to do about a refused extension, in the words the extension shows its user. */
export const PAIR_HINT =
  "run `browser-mcp pair` and paste the code in the extension's options (Pairing code, then Pair)";

/** What the server side of the handshake needs from its bridge. */
export interface HandshakeContext {
  readonly instanceId: string;
  readonly port: () => number;
  readonly pairing: PairingKeySource;
  /** Let in the older extension, which cannot pair (`--allow-unpaired`). */
  readonly allowUnpaired: boolean;
  readonly label: () => string | undefined;
  readonly log: (line: string) => void;
  /** The socket may take commands from now on. */
  readonly onTrusted: (connection: ExtensionConnection) => void;
}

/**
 * Answers `hello`. A paired extension gets the server's nonce and proof and must answer with its
 * own; the older extension (no `pairing` in its hello) is let in only under `--allow-unpaired`,
 * with a warning; anything else is told why and closed.
 */
export function answerHello(
  connection: ExtensionConnection,
  frame: Extract<ExtensionFrame, { kind: 'hello' }>,
  context: HandshakeContext,
): void {
  if (connection.trust !== 'new') {
    context.log('ignored a second hello on one socket');
    return;
  }
  const port = context.port();
  // The label (the client's name, the folder's) is told only to a socket that proved itself.
  const ack = (extra: Partial<HelloAckMessage>): HelloAckMessage => ({
    type: 'helloAck',
    instanceId: context.instanceId,
    port,
    ...extra,
  });
  if (frame.pairing) {
    connection.trust = 'handshaking';
    let key: Uint8Array;
    try {
      key = context.pairing.key();
    } catch (error) {
      context.log(`cannot pair: ${(error as Error).message}`);
      refuse(connection, 'EPAIRINGFILE', (error as Error).message);
      return;
    }
    const binding = {
      // The address this socket reached, as the extension signs the one it dialled: a relay at
      // another address (127.0.0.1 in front of a server on ::1) fails.
      address: connection.localAddress,
      port,
      instanceId: context.instanceId,
      extensionNonce: frame.pairing.nonce,
      serverNonce: createNonce(),
    };
    connection.handshake = { binding, key };
    const proof = proofSync(key, 'server', binding);
    send(connection, ack({ pairing: { nonce: binding.serverNonce, proof } }));
    return;
  }
  if (frame.unsupportedPairing !== undefined) {
    refuse(
      connection,
      'EPAIRINGVERSION',
      `This browser-mcp speaks pairing version ${PAIRING_VERSION}, the extension ${frame.unsupportedPairing}: update both.`,
    );
    context.log(`refused an extension that speaks pairing version ${frame.unsupportedPairing}`);
    return;
  }
  if (context.allowUnpaired) {
    context.log(
      `WARNING: an unpaired extension${originText(connection)} connected and may drive the browser (--allow-unpaired)`,
    );
    connection.trust = 'unpaired';
    const label = context.label();
    send(connection, ack(label ? { label } : {}));
    context.onTrusted(connection);
    return;
  }
  context.log(
    `refused an extension that did not pair${originText(connection)}: to let the older Browser MCP extension in, start with --allow-unpaired`,
  );
  refuse(
    connection,
    'EUNPAIRED',
    `This browser-mcp only takes paired extensions: ${PAIR_HINT}. The older Browser MCP extension cannot pair; start the server with --allow-unpaired to let it in.`,
  );
}

/** Checks the extension's proof: the socket is trusted from now on, or told why not and closed. */
export function checkAuth(
  connection: ExtensionConnection,
  auth: Extract<ExtensionFrame, { kind: 'auth' }>,
  context: HandshakeContext,
): void {
  const handshake = connection.handshake;
  if (connection.trust !== 'handshaking' || !handshake) {
    context.log('ignored an auth frame outside a handshake');
    return;
  }
  // One proof per handshake: a second try on the same nonces gets nothing.
  connection.handshake = undefined;
  if (verifyProofSync(handshake.key, 'extension', handshake.binding, auth.proof)) {
    if (auth.verifyOnly) {
      // The options page confirming a code: it learns the code is right, and the socket goes.
      connection.trust = 'refused';
      send(connection, { type: 'authResult', ok: true });
      connection.socket.close(1000, 'verified');
      return;
    }
    connection.trust = 'paired';
    connection.pairedKey = handshake.key;
    const label = context.label();
    send(connection, { type: 'authResult', ok: true, ...(label ? { label } : {}) });
    context.onTrusted(connection);
    return;
  }
  context.log(`refused an extension whose pairing proof is wrong${originText(connection)}`);
  refuse(
    connection,
    'EBADPROOF',
    `The extension is not paired with this browser-mcp (its proof did not match this server's secret): ${PAIR_HINT}.`,
  );
}

function refuse(connection: ExtensionConnection, code: string, message: string): void {
  connection.trust = 'refused';
  connection.handshake = undefined;
  const result: AuthResultMessage = { type: 'authResult', ok: false, code, message };
  send(connection, result);
  // 1008: policy violation. The extension reads the reason from authResult.
  connection.socket.close(1008, code);
}

function send(connection: ExtensionConnection, message: HelloAckMessage | AuthResultMessage): void {
  if (connection.open) connection.socket.send(JSON.stringify(message));
}

function originText(connection: ExtensionConnection): string {
  return connection.origin ? ` from ${connection.origin}` : ' (no Origin)';
}
