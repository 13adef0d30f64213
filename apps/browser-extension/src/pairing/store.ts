import { base64url, decodePairingCode, fromBase64url, PAIRING_KEY_BYTES } from '@ports/browser-protocol';

/** Where the pairing lives: `chrome.storage.local`, so it survives browser and worker restarts. */
export const PAIRING_STORAGE_KEY = 'pairing';

/** What the extension keeps of a pairing: the key (never the code's text) and when it was made. */
interface StoredPairing {
  readonly key: string;
  readonly pairedAt: number;
}

async function stored(): Promise<StoredPairing | undefined> {
  return (await chrome.storage.local.get(PAIRING_STORAGE_KEY))[PAIRING_STORAGE_KEY] as
    | StoredPairing
    | undefined;
}

/** The stored pairing key, or `undefined` when this browser profile is not paired. */
export async function loadPairingKey(): Promise<Uint8Array | undefined> {
  const pairing = await stored();
  if (!pairing || typeof pairing.key !== 'string') return undefined;
  try {
    const key = fromBase64url(pairing.key);
    return key.length === PAIRING_KEY_BYTES ? key : undefined;
  } catch {
    return undefined;
  }
}

/** When the stored pairing was made (ms since the epoch), or `undefined` when not paired. */
export async function pairedAt(): Promise<number | undefined> {
  const pairing = await stored();
  return typeof pairing?.pairedAt === 'number' ? pairing.pairedAt : undefined;
}

/** Stores the key of `code`; throws `PairingError` (nothing stored) when the code is not one. */
export async function savePairing(code: string): Promise<void> {
  const key = decodePairingCode(code);
  const stored: StoredPairing = { key: base64url(key), pairedAt: Date.now() };
  await chrome.storage.local.set({ [PAIRING_STORAGE_KEY]: stored });
}

/** Forgets the pairing: no server is driven until the extension pairs again. */
export async function clearPairing(): Promise<void> {
  await chrome.storage.local.remove(PAIRING_STORAGE_KEY);
}
