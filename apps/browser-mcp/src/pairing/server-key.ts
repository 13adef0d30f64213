import { createHmac } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { PAIRING_KEY_BYTES } from '@ports/browser-protocol';
import { loadOrCreateSecret, readSecretSync } from './secret-file.js';

/** The pairing key a server signs and checks handshakes with. */
export interface PairingKeySource {
  /** The file the key comes from, for messages. */
  readonly file: string;
  /**
   * The current key. The file is looked at again (one synchronous `lstat`, microseconds) at every
   * handshake and command, so after `browser-mcp pair --reset` new connections need the new code
   * and sockets paired with the old one get no more commands, without a restart.
   *
   * @throws {BrowserMcpError} `EPAIRINGFILE` when the file became unusable.
   */
  key(): Uint8Array;
}

/**
 * Opens this user's pairing secret (creating it on first use) and derives the key from it.
 *
 * @example
 * ```ts
 * const pairing = await openPairingKey(pairingFilePath());
 * const proof = proofSync(pairing.key(), 'server', binding);
 * ```
 */
export async function openPairingKey(file: string): Promise<PairingKeySource> {
  const { secret } = await loadOrCreateSecret(file);
  let key = derivePairingKeySync(secret);
  let seen = fingerprint(file);
  return {
    file,
    key: () => {
      const now = fingerprint(file);
      if (now !== seen) {
        const fresh = readSecretSync(file);
        // Removed: the next `browser-mcp pair` makes a new one; until then the old key holds.
        if (fresh === undefined) return key;
        key = derivePairingKeySync(fresh);
        seen = now;
      }
      return key;
    },
  };
}

/**
 * The protocol's `derivePairingKey` with Node's synchronous HMAC (the same bytes; a test pins
 * them), so checking the key on a command's path never waits for the thread pool.
 */
export function derivePairingKeySync(secret: Uint8Array): Uint8Array {
  const mac = createHmac('sha256', secret).update('browser-mcp pairing key v1').digest();
  return new Uint8Array(mac.subarray(0, PAIRING_KEY_BYTES));
}

function fingerprint(file: string): string {
  try {
    const stat = lstatSync(file, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return 'missing';
  }
}
