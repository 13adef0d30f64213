import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '::', ipv6Only: false }, () => server.close(() => resolve(true)));
  });
}

/**
 * The lowest port the kernel hands out for outgoing connections (Linux's default when /proc is
 * hidden): a range above it can lose a port to any client socket of a parallel test at any moment.
 */
function firstEphemeralPort(): number {
  try {
    const first = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    if (Number.isInteger(first) && first > 12_000) return first;
  } catch {
    // /proc hidden (CI's second leg) or not Linux
  }
  return 32_768;
}

/**
 * A range of `size` consecutive ports that are free right now, at a random place below the
 * ephemeral ports, so parallel test files (and other test runs on the machine) rarely meet and no
 * outgoing connection takes one of them mid-test.
 */
export async function freeRange(size: number): Promise<[number, number]> {
  const ceiling = firstEphemeralPort();
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = 10_000 + Math.floor(Math.random() * (ceiling - 10_000 - size));
    const checks = await Promise.all(Array.from({ length: size }, (_, i) => bindable(start + i)));
    if (checks.every(Boolean)) return [start, start + size - 1];
  }
  throw new Error(`no free range of ${size} ports found`);
}
