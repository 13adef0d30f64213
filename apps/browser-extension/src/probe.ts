/** How long a discovery probe may take: loopback answers at once, or never. */
const PROBE_TIMEOUT_MS = 1_000;

/**
 * True when a browser-mcp server answers `HEAD /` on the port of 127.0.0.1. Used by the connection
 * manager before it opens a WebSocket, and by the options page before it checks a pairing code.
 */
export async function probeServer(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'HEAD',
      cache: 'no-store',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return response.ok;
  } catch {
    return false;
  }
}
