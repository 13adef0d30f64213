import { describe, expect, it } from 'vitest';
import { startExtensionHandshake } from './extension-handshake.js';
import { createNonce, handshakeProof, PAIRING_KEY_BYTES, verifyHandshakeProof } from './pairing.js';

const key = Uint8Array.from({ length: PAIRING_KEY_BYTES }, (_, i) => i + 1);

/** A server's helloAck for `hello`, signed as a server on `address:port` signs it. */
async function serverAck(nonce: string, port: number, signingKey = key, address = '127.0.0.1') {
  const serverNonce = createNonce();
  const binding = { address, port, instanceId: 'alpha', extensionNonce: nonce, serverNonce };
  const proof = await handshakeProof(signingKey, 'server', binding);
  return {
    ack: { type: 'helloAck' as const, instanceId: 'alpha', port, pairing: { nonce: serverNonce, proof } },
    binding,
  };
}

describe('the extension side of the handshake', () => {
  it('answers a server that proved itself with a proof the server accepts', async () => {
    const handshake = startExtensionHandshake(key, 8765);
    const nonce = handshake.hello.pairing?.nonce as string;
    const { ack, binding } = await serverAck(nonce, 8765);
    const answer = await handshake.answer(ack);
    expect(answer.ok).toBe(true);
    if (answer.ok)
      expect(await verifyHandshakeProof(key, 'extension', binding, answer.auth.proof)).toBe(true);
  });

  it('refuses a server that signed another port, another address or another key, or did not pair', async () => {
    for (const [port, signingKey, address] of [
      [8766, key, '127.0.0.1'],
      [8765, key.map((b) => b ^ 1), '127.0.0.1'],
      [8765, key, '::1'],
    ] as const) {
      const handshake = startExtensionHandshake(key, 8765);
      const { ack } = await serverAck(handshake.hello.pairing?.nonce as string, port, signingKey, address);
      expect(await handshake.answer(ack)).toMatchObject({ ok: false });
    }
    const unpaired = startExtensionHandshake(key, 8765);
    expect(await unpaired.answer({ type: 'helloAck', instanceId: 'alpha', port: 8765 })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('does not pair'),
    });
  });

  it('answers one helloAck per handshake: a second one (replayed or spliced) gets nothing', async () => {
    const handshake = startExtensionHandshake(key, 8765);
    const { ack } = await serverAck(handshake.hello.pairing?.nonce as string, 8765);
    expect((await handshake.answer(ack)).ok).toBe(true);
    expect(await handshake.answer(ack)).toMatchObject({ ok: false });
  });
});
