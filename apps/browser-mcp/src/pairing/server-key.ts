import { lstatSync } from 'node:fs';
import { derivePairingKey } from '@ports/browser-protocol';
import { loadOrCreateSecret, readSecret } from './secret-file.js';

/** The pairing key a server signs and checks handshakes with. */
export interface PairingKeySource {
  /** The file the key comes from, for messages. */
  readonly file: string;
  /**
   * The current key. The file is looked at again (one `stat`) at every handshake, so after
   * `browser-mcp pair --reset` new connections need the new code without a restart.
   *
   * @throws {BrowserMcpError} `EPAIRINGFILE` when the file became unusable.
   */
  key(): Promise<Uint8Array>;
}

/**
 * Opens this user's pairing secret (creating it on first use) and derives the key from it.
 *
 * @example
 * ```ts
 * const pairing = await openPairingKey(pairingFilePath());
 * const proof = await handshakeProof(await pairing.key(), 'server', binding);
 * ```
 */
export async function openPairingKey(file: string): Promise<PairingKeySource> {
  const { secret } = await loadOrCreateSecret(file);
  let key = await derivePairingKey(secret);
  let seen = fingerprint(file);
  return {
    file,
    key: async () => {
      // One lstat (microseconds, synchronous): no thread-pool trip on the handshake's path.
      const now = fingerprint(file);
      if (now !== seen) {
        const fresh = await readSecret(file);
        if (fresh === undefined) {
          // Removed: the next `browser-mcp pair` makes a new one; until then the old key holds.
          return key;
        }
        key = await derivePairingKey(fresh);
        seen = now;
      }
      return key;
    },
  };
}

function fingerprint(file: string): string {
  try {
    const stat = lstatSync(file, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return 'missing';
  }
}
