import { createServer } from 'node:net';

function free(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * A run of `size` free loopback ports, `{ start, end }`, at a random place (no fixed ports: other
 * benches and tests run here too).
 */
export async function freeRange(size) {
  for (let base = 40_000 + Math.floor(Math.random() * 20_000); ; base += size) {
    const checks = await Promise.all(Array.from({ length: size }, (_, i) => free(base + i)));
    if (checks.every(Boolean)) return { start: base, end: base + size - 1 };
  }
}
