import { createHmac, timingSafeEqual } from 'node:crypto';
import { type HandshakeBinding, handshakeProofInput, type PairingRole } from '@ports/browser-protocol';

/**
 * `role`'s handshake proof with Node's synchronous HMAC: the same bytes as the protocol's
 * WebCrypto `handshakeProof`, without a trip through the thread pool on every connection.
 */
export function proofSync(key: Uint8Array, role: PairingRole, binding: HandshakeBinding): string {
  return createHmac('sha256', key).update(handshakeProofInput(role, binding)).digest('base64url');
}

/** Whether `proof` is `role`'s proof for `binding`; compares in constant time. */
export function verifyProofSync(
  key: Uint8Array,
  role: PairingRole,
  binding: HandshakeBinding,
  proof: unknown,
): boolean {
  if (typeof proof !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(proof)) return false;
  const expected = createHmac('sha256', key).update(handshakeProofInput(role, binding)).digest();
  return timingSafeEqual(expected, Buffer.from(proof, 'base64url'));
}
