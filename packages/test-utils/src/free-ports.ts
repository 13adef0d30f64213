import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The lowest port the kernel hands out for outgoing connections (Linux's default when /proc is
 * hidden): a range above it can lose a port to any client socket of a parallel test, or of a
 * browser under test, at any moment.
 */
export function firstEphemeralPort(): number {
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

/** Whether a listener could take `port` on every address right now (IPv4-only hosts too). */
function bindable(port: number, host = '::'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (host === '::' && (error.code === 'EAFNOSUPPORT' || error.code === 'EADDRNOTAVAIL'))
        resolve(bindable(port, '0.0.0.0'));
      else resolve(false);
    });
    server.listen({ port, host, ipv6Only: false, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Whether each of the `size` ports from `start` on could take a listener right now, on any address. */
export async function arePortsFree(start: number, size: number): Promise<boolean> {
  const checks = await Promise.all(Array.from({ length: size }, (_, i) => bindable(start + i)));
  return checks.every(Boolean);
}

/**
 * A range of `size` consecutive ports that are free right now, at a random place between 10000
 * and the first ephemeral port: parallel test files rarely meet, and no outgoing connection (a
 * test's client, a browser's) takes one of them mid-test, as it can above that port.
 *
 * @example
 * const { start, end } = await freePortRange(3);
 * spawn('browser-mcp', ['--ports', `${start}-${end}`]);
 */
export async function freePortRange(size: number): Promise<{ start: number; end: number }> {
  const ceiling = firstEphemeralPort();
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = 10_000 + Math.floor(Math.random() * (ceiling - 10_000 - size));
    if (await arePortsFree(start, size)) return { start, end: start + size - 1 };
  }
  throw new Error(`no range of ${size} free ports found below ${ceiling}`);
}
