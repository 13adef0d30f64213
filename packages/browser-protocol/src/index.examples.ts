/**
 * Type-checked examples of `@ports/browser-protocol`, copied into the TSDoc `@example` blocks that name their
 * region (`pnpm sync-examples`; `scripts/tsdoc-examples.test.ts` fails when they differ). Nothing calls
 * these functions: they exist to be type-checked. Not part of the build (tsup bundles `index.ts` only).
 * What an example takes from its surroundings is a parameter.
 */

import {
  type AuthMessage,
  boolean,
  createNonce,
  decodeChanges,
  decodeReply,
  encodePairingCode,
  type HelloAckMessage,
  handshakeProof,
  hintFor,
  object,
  optional,
  ProtocolError,
  parseExtensionFrame,
  parsePayload,
  parseServerFrame,
  startExtensionHandshake,
  string,
  TOOL_COMMANDS,
  verifyHandshakeProof,
} from './index.js';

/** {@link TOOL_COMMANDS}. */
export async function TOOL_COMMANDSExample(): Promise<void> {
  //#region TOOL_COMMANDS
  const type = TOOL_COMMANDS.browser_snapshot; // 'snapshot.accessibility'
  //#endregion TOOL_COMMANDS
  void type;
}

/** {@link parsePayload}. */
export async function parsePayloadExample(): Promise<void> {
  //#region parsePayload
  parsePayload('dom.click', { ref: 's1e2', element: 'OK' }); // { ref: 's1e2', element: 'OK' }
  parsePayload('dom.click', { ref: 's1e2' }); // throws EBADARGS: 'element' must be a non-empty string
  //#endregion parsePayload
}

/** {@link decodeReply}. */
export async function decodeReplyExample(): Promise<void> {
  //#region decodeReply
  decodeReply('dom.click', { success: true }); // { message: 'Done.' }
  decodeReply('dom.click', { success: false }); // throws EFAILED
  //#endregion decodeReply
}

/** {@link ProtocolError}. */
export async function ProtocolErrorExample(): Promise<void> {
  //#region ProtocolError
  throw new ProtocolError('ESTALEREF', 'Ref s3e4 (OK button) is from an older snapshot.');
  //#endregion ProtocolError
}

/** {@link hintFor}. */
export async function hintForExample(): Promise<void> {
  //#region hintFor
  hintFor('ESTALEREF', 'dom.click'); // 'Take a new browser_snapshot and use a ref from it.'
  //#endregion hintFor
}

/** {@link object}. */
export async function objectExample(): Promise<void> {
  //#region object
  const click = object({ ref: string({ min: 1 }), doubleClick: optional(boolean()) });
  click.parse({ ref: 'e1' }, 'payload'); // { ref: 'e1' }
  //#endregion object
}

/** {@link decodeChanges}. */
export async function decodeChangesExample(): Promise<void> {
  //#region decodeChanges
  decodeChanges({ title: 'Cart', errors: ['Uncaught TypeError'] }); // { title: 'Cart', errors: [...] }
  decodeChanges(undefined); // undefined
  //#endregion decodeChanges
}

/** {@link parseExtensionFrame}. */
export async function parseExtensionFrameExample(): Promise<void> {
  //#region parseExtensionFrame
  parseExtensionFrame('{"wireId":7,"type":"response","data":{"ok":1}}'); // { kind: 'reply', id: 7, payload: { ok: 1 } }
  parseExtensionFrame('{"id":8,"error":"gone","code":"ESTALEREF"}'); // { kind: 'error', id: 8, code: 'ESTALEREF', error: 'gone' }
  //#endregion parseExtensionFrame
}

/** {@link parseServerFrame}. */
export async function parseServerFrameExample(
  event: { data: string },
  click: (ref: string) => void,
): Promise<void> {
  //#region parseServerFrame
  const frame = parseServerFrame(event.data);
  if (frame.kind === 'command' && frame.type === 'dom.click') click(frame.payload.ref);
  //#endregion parseServerFrame
}

/** {@link encodePairingCode}. */
export async function encodePairingCodeExample(key: Uint8Array): Promise<void> {
  //#region encodePairingCode
  const code = encodePairingCode(key); // 'CP8V-S8VT-TEZJ-R866-Q6TM-YBBN-J65T-TTTC-G2N0'
  //#endregion encodePairingCode
  void code;
}

/** {@link handshakeProof}. */
export async function handshakeProofExample(key: Uint8Array, serverNonce: string): Promise<void> {
  //#region handshakeProof
  const binding = {
    address: '127.0.0.1',
    port: 8765,
    instanceId: 'a',
    extensionNonce: createNonce(),
    serverNonce,
  };
  const proof = await handshakeProof(key, 'server', binding);
  await verifyHandshakeProof(key, 'server', binding, proof); // true
  //#endregion handshakeProof
}

/** {@link startExtensionHandshake}. */
export async function startExtensionHandshakeExample(
  key: Uint8Array,
  socket: { send(text: string): void },
  helloAck: HelloAckMessage,
): Promise<AuthMessage | undefined> {
  //#region startExtensionHandshake
  const handshake = startExtensionHandshake(key, 8765);
  socket.send(JSON.stringify(handshake.hello));
  // …then, with the server's helloAck:
  const answer = await handshake.answer(helloAck);
  if (answer.ok) socket.send(JSON.stringify(answer.auth));
  //#endregion startExtensionHandshake
  return answer.ok ? answer.auth : undefined;
}
