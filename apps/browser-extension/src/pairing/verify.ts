import { decodePairingCode, parseServerFrame, startExtensionHandshake } from '@ports/browser-protocol';
import type { PortRange } from '../config.js';
import { probeServer } from '../probe.js';

/** How long one server has to finish a verifying handshake. */
const VERIFY_TIMEOUT_MS = 3_000;

/** What the servers of the range said of a pairing code. */
export interface CodeCheck {
  /** Ports whose server proved it has the same secret and accepted ours. */
  readonly accepted: readonly number[];
  /** Ports whose server is a browser-mcp that does not share this code's secret. */
  readonly refused: readonly number[];
}

/**
 * Asks every browser-mcp server in `range` whether `code` is its user's: a full handshake with
 * `verifyOnly`, so no server hands these sockets a command. Throws `PairingError` for a code that
 * is not one (mistyped, cut).
 */
export async function checkCodeWithServers(code: string, range: PortRange): Promise<CodeCheck> {
  const key = decodePairingCode(code);
  const ports: number[] = [];
  for (let port = range.start; port <= range.end; port++) ports.push(port);
  const results = await Promise.all(ports.map((port) => verifyWith(port, key)));
  return {
    accepted: ports.filter((_, i) => results[i] === 'accepted'),
    refused: ports.filter((_, i) => results[i] === 'refused'),
  };
}

async function verifyWith(port: number, key: Uint8Array): Promise<'accepted' | 'refused' | 'absent'> {
  if (!(await probeServer(port))) return 'absent';
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`);
    const handshake = startExtensionHandshake(key, port);
    let settled = false;
    const finish = (result: 'accepted' | 'refused' | 'absent'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => finish('absent'), VERIFY_TIMEOUT_MS);
    let inbox = Promise.resolve();
    socket.onopen = () => socket.send(JSON.stringify(handshake.hello));
    // After the frames before it: the server closes right after its authResult.
    socket.onclose = () => {
      inbox = inbox.then(() => finish('absent'));
    };
    socket.onmessage = (event) => {
      inbox = inbox.then(async () => {
        const frame = parseServerFrame(String(event.data));
        if (frame.kind === 'helloAck') {
          const answer = await handshake.answer(frame);
          if (!answer.ok) return finish('refused');
          socket.send(JSON.stringify({ ...answer.auth, verifyOnly: true }));
        } else if (frame.kind === 'authResult') {
          // Unasked (no proof of ours was sent), it is a listener that cannot pair pretending to.
          finish(frame.ok && handshake.proven ? 'accepted' : 'refused');
        }
      });
    };
  });
}
