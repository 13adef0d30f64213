import { createServer } from 'node:net';

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '::', ipv6Only: false }, () => server.close(() => resolve(true)));
  });
}

/**
 * A range of `size` consecutive ports that are free right now, at a random place in the high
 * ports, so parallel test files (and other test runs on the machine) rarely meet.
 */
export async function freeRange(size: number): Promise<[number, number]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = 20_000 + Math.floor(Math.random() * (60_000 - 20_000 - size));
    const checks = await Promise.all(Array.from({ length: size }, (_, i) => bindable(start + i)));
    if (checks.every(Boolean)) return [start, start + size - 1];
  }
  throw new Error(`no free range of ${size} ports found`);
}
