/**
 * Pairing: the server and the extension share one key per OS user, and each proves it knows the
 * key at every connection with an HMAC over fresh nonces from both sides, bound to the server's
 * port and instance id. The key itself never crosses the socket. WebCrypto only, so the same code
 * runs in Node and in the extension's service worker.
 */

/** The version of the handshake, carried in `hello` so either side can refuse one it cannot speak. */
export const PAIRING_VERSION = 1;

/** Bytes of the key the extension stores and both sides sign with (160 bits). */
export const PAIRING_KEY_BYTES = 20;

/** Bytes of each side's nonce. */
const NONCE_BYTES = 16;

/** Crockford's base32: no I, L, O or U, so a code read aloud or retyped is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Code characters: the key plus a 16-bit check, 5 bits a character (176 bits → 36 characters). */
const CODE_CHARS = Math.ceil(((PAIRING_KEY_BYTES + 2) * 8) / 5);

/** What a pairing code or a proof could not be used for, with a string `code`. */
export class PairingError extends Error {
  override readonly name = 'PairingError';
  /** `EPAIRINGCODE`: the text is not a pairing code (mistyped, cut, or from something else). */
  readonly code: 'EPAIRINGCODE';

  constructor(code: 'EPAIRINGCODE', message: string) {
    super(message);
    this.code = code;
  }
}

/** Which side a proof speaks for: a proof for one side is never accepted for the other. */
export type PairingRole = 'server' | 'extension';

/**
 * The address the extension dials, and so the one both sides sign: a proof for a server reached at
 * another address (a relay on 127.0.0.1 in front of a server on ::1 or a LAN address) fails.
 */
export const EXTENSION_DIAL_ADDRESS = '127.0.0.1';

/**
 * What a proof is bound to: one server endpoint (address, port) and instance id, and one exchange
 * (both nonces).
 */
export interface HandshakeBinding {
  /** The address the socket reached: {@link EXTENSION_DIAL_ADDRESS} for the extension, the socket's local address for the server. */
  readonly address: string;
  /** The port the extension dialled; the server signs and checks with the port it listens on. */
  readonly port: number;
  readonly instanceId: string;
  readonly extensionNonce: string;
  readonly serverNonce: string;
}

/**
 * The pairing code for `key`: 36 base32 characters in groups of four, the last bits a checksum, so
 * a mistyped or truncated code is refused before it is stored.
 *
 * @example
 * ```ts source="./index.examples.ts#encodePairingCode"
 * const code = encodePairingCode(key); // 'CP8V-S8VT-TEZJ-R866-Q6TM-YBBN-J65T-TTTC-G2N0'
 * ```
 */
export function encodePairingCode(key: Uint8Array): string {
  if (key.length !== PAIRING_KEY_BYTES) {
    throw new RangeError(`a pairing key has ${PAIRING_KEY_BYTES} bytes, got ${key.length}`);
  }
  const check = crc16(key);
  const bytes = new Uint8Array([...key, check >> 8, check & 0xff]);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return (out.match(/.{1,4}/g) ?? []).join('-');
}

/**
 * The key inside a pairing code. Case, spaces and dashes do not matter, and `O`, `I` and `L` read
 * as `0`, `1` and `1`.
 *
 * @throws {PairingError} `EPAIRINGCODE` when the text is not a whole, correct code.
 */
export function decodePairingCode(code: string): Uint8Array {
  const text = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (text.length !== CODE_CHARS) {
    throw new PairingError(
      'EPAIRINGCODE',
      `A pairing code has ${CODE_CHARS} letters and digits; this one has ${text.length}. Copy the whole last line that \`browser-mcp pair\` prints.`,
    );
  }
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit === -1) {
      throw new PairingError(
        'EPAIRINGCODE',
        `'${char}' cannot appear in a pairing code. Copy the code again.`,
      );
    }
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const key = new Uint8Array(bytes.slice(0, PAIRING_KEY_BYTES));
  const check = ((bytes[PAIRING_KEY_BYTES] ?? 0) << 8) | (bytes[PAIRING_KEY_BYTES + 1] ?? 0);
  if (check !== crc16(key) || (value & ((1 << bits) - 1)) !== 0) {
    throw new PairingError(
      'EPAIRINGCODE',
      'This pairing code is not right (a character is wrong or missing). Run `browser-mcp pair` and copy its last line again.',
    );
  }
  return key;
}

/**
 * The pairing key of a secret: the first {@link PAIRING_KEY_BYTES} bytes of an HMAC of a fixed
 * label under the secret, so the secret file's bytes are never used as a key directly.
 */
export async function derivePairingKey(secret: Uint8Array): Promise<Uint8Array> {
  const mac = await hmac(secret, 'browser-mcp pairing key v1');
  return mac.slice(0, PAIRING_KEY_BYTES);
}

/** A fresh nonce from the platform's CSPRNG, base64url. */
export function createNonce(): string {
  return base64url(globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
}

/** True for a value shaped like a nonce of either side. */
export function isNonce(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{22,86}$/.test(value);
}

/**
 * The proof that `role` knows `key`, bound to one server and one exchange. A proof made for
 * another port, instance, nonce or role does not verify.
 *
 * @example
 * ```ts source="./index.examples.ts#handshakeProof"
 * const binding = {
 *   address: '127.0.0.1',
 *   port: 8765,
 *   instanceId: 'a',
 *   extensionNonce: createNonce(),
 *   serverNonce,
 * };
 * const proof = await handshakeProof(key, 'server', binding);
 * await verifyHandshakeProof(key, 'server', binding, proof); // true
 * ```
 */
export async function handshakeProof(
  key: Uint8Array,
  role: PairingRole,
  binding: HandshakeBinding,
): Promise<string> {
  return base64url(await hmac(key, proofMessage(role, binding)));
}

/** Whether `proof` is `role`'s proof for `binding` under `key`; compares in constant time. */
export async function verifyHandshakeProof(
  key: Uint8Array,
  role: PairingRole,
  binding: HandshakeBinding,
  proof: unknown,
): Promise<boolean> {
  if (typeof proof !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(proof)) return false;
  const signature = new Uint8Array(fromBase64url(proof));
  const cryptoKey = await importKey(key);
  return globalThis.crypto.subtle.verify(
    'HMAC',
    cryptoKey,
    signature,
    new TextEncoder().encode(proofMessage(role, binding)),
  );
}

/**
 * The exact text a proof is the HMAC-SHA-256 of, for a side that computes the HMAC with its own
 * crypto (the server uses Node's synchronous HMAC; {@link handshakeProof} uses WebCrypto).
 */
export function handshakeProofInput(role: PairingRole, binding: HandshakeBinding): string {
  return proofMessage(role, binding);
}

function proofMessage(role: PairingRole, binding: HandshakeBinding): string {
  // A JSON array: no separator inside a field can make two bindings read the same.
  return JSON.stringify([
    'browser-mcp/pair/v1',
    role,
    binding.address,
    binding.port,
    binding.instanceId,
    binding.extensionNonce,
    binding.serverNonce,
  ]);
}

/** Imported keys by the array they came from: a handshake signs and verifies with one key. */
const imported = new WeakMap<Uint8Array, ReturnType<typeof importRawKey>>();

function importKey(key: Uint8Array) {
  let cryptoKey = imported.get(key);
  if (!cryptoKey) {
    cryptoKey = importRawKey(key);
    imported.set(key, cryptoKey);
  }
  return cryptoKey;
}

function importRawKey(key: Uint8Array) {
  // A copy: WebCrypto takes no view of a SharedArrayBuffer, which a caller's array might be.
  return globalThis.crypto.subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
}

async function hmac(key: Uint8Array, text: string): Promise<Uint8Array> {
  const signature = await globalThis.crypto.subtle.sign(
    'HMAC',
    await importKey(key),
    new TextEncoder().encode(text),
  );
  return new Uint8Array(signature);
}

/** base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of a base64url string (padding optional). */
export function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** CRC-16/CCITT-FALSE: catches every slip of one character, or of two side by side, in a code. */
function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
