import { derivePairingKey, encodePairingCode } from '@ports/browser-protocol';
import type { PairOptions } from '../options.js';
import { loadOrCreateSecret, resetSecret } from './secret-file.js';

/** Where `browser-mcp pair` writes: the code alone on stdout, the words for people on stderr. */
export interface PairOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/**
 * `browser-mcp pair [--reset]`: prints this user's pairing code as the last line of stdout (so
 * `browser-mcp pair | tail -1` is the code), and how to use it on stderr. `--reset` makes a new
 * secret first.
 *
 * @throws {BrowserMcpError} `EPAIRINGFILE` when the secret file exists but cannot be used.
 */
export async function runPair(options: PairOptions, output: PairOutput): Promise<void> {
  const { file, secret, created } = options.reset
    ? await resetSecret(options.pairingFile)
    : await loadOrCreateSecret(options.pairingFile);
  const code = encodePairingCode(await derivePairingKey(secret));
  if (options.reset) {
    output.err(`browser-mcp: made a new pairing secret in ${file}.`);
    output.err('Every browser that was paired must pair again with the code below.');
  } else if (created) {
    output.err(`browser-mcp: made this user's pairing secret in ${file}.`);
  }
  output.err(
    "Open the browser-mcp extension's options (right-click its icon, Options), paste this code in " +
      '"Pairing code" and press Pair. Pair once per browser profile; every browser-mcp of this user uses the same code.',
  );
  output.out(code);
}
