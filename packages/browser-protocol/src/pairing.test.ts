import { describe, expect, it } from 'vitest';
import {
  createNonce,
  decodePairingCode,
  derivePairingKey,
  encodePairingCode,
  handshakeProof,
  PAIRING_KEY_BYTES,
  PairingError,
  verifyHandshakeProof,
} from './pairing.js';

const key = Uint8Array.from({ length: PAIRING_KEY_BYTES }, (_, i) => (i * 37 + 11) & 0xff);

describe('pairing codes', () => {
  it('round-trips a key, ignoring case, spaces and dashes', () => {
    const code = encodePairingCode(key);
    expect(code).toMatch(/^([0-9A-Z]{4}-){8}[0-9A-Z]{4}$/);
    expect(decodePairingCode(code)).toEqual(key);
    expect(decodePairingCode(` ${code.toLowerCase().replace(/-/g, ' ')} `)).toEqual(key);
  });

  it('refuses every single-character slip, and a cut or padded code', () => {
    const code = encodePairingCode(key).replace(/-/g, '');
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let i = 0; i < code.length; i++) {
      for (const char of alphabet) {
        if (char === code[i]) continue;
        const slipped = code.slice(0, i) + char + code.slice(i + 1);
        expect(() => decodePairingCode(slipped), slipped).toThrow(PairingError);
      }
    }
    expect(() => decodePairingCode(code.slice(0, -1))).toThrow(/36 letters and digits/);
    expect(() => decodePairingCode(`${code}0`)).toThrow(/this one has 37/);
    expect(() => decodePairingCode('not a code')).toThrow(expect.objectContaining({ code: 'EPAIRINGCODE' }));
    expect(() => decodePairingCode('U'.repeat(36))).toThrow(/'U' cannot appear/);
  });

  it('derives a key of the right size that differs per secret', async () => {
    const a = await derivePairingKey(new Uint8Array(32).fill(1));
    const b = await derivePairingKey(new Uint8Array(32).fill(2));
    expect(a).toHaveLength(PAIRING_KEY_BYTES);
    expect(a).not.toEqual(b);
  });
});

describe('handshake proofs', () => {
  const binding = {
    address: '127.0.0.1',
    port: 8765,
    instanceId: 'alpha',
    extensionNonce: createNonce(),
    serverNonce: createNonce(),
  };

  it('verifies for the same key, role and binding', async () => {
    const proof = await handshakeProof(key, 'server', binding);
    expect(await verifyHandshakeProof(key, 'server', binding, proof)).toBe(true);
  });

  it('fails for another port, instance, nonce, role or key, and for garbage', async () => {
    const proof = await handshakeProof(key, 'extension', binding);
    const otherKey = key.map((b) => b ^ 1);
    expect(await verifyHandshakeProof(key, 'extension', { ...binding, port: 8766 }, proof)).toBe(false);
    expect(await verifyHandshakeProof(key, 'extension', { ...binding, address: '::1' }, proof)).toBe(false);
    expect(await verifyHandshakeProof(key, 'extension', { ...binding, instanceId: 'beta' }, proof)).toBe(
      false,
    );
    expect(
      await verifyHandshakeProof(key, 'extension', { ...binding, serverNonce: createNonce() }, proof),
    ).toBe(false);
    expect(
      await verifyHandshakeProof(key, 'extension', { ...binding, extensionNonce: createNonce() }, proof),
    ).toBe(false);
    expect(await verifyHandshakeProof(key, 'server', binding, proof)).toBe(false);
    expect(await verifyHandshakeProof(otherKey, 'extension', binding, proof)).toBe(false);
    expect(await verifyHandshakeProof(key, 'extension', binding, 'x')).toBe(false);
    expect(await verifyHandshakeProof(key, 'extension', binding, undefined)).toBe(false);
  });

  it('makes a fresh nonce every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
  });
});
