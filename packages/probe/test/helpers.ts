import { fstatSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type FixtureProcess, spawnFixture } from '@ports/test-utils';

const listenFixture = fileURLToPath(new URL('./fixtures/listen.ts', import.meta.url));

/** A child process listening on `host`, with the port it got. */
export async function childListener(
  host: string,
  mode: '' | 'v6only' = '',
): Promise<{ child: FixtureProcess; port: number } & AsyncDisposable> {
  const child = spawnFixture(listenFixture, [host, mode]);
  try {
    const line = await child.waitForStderrLine(/^(listening|error) /);
    const port = Number(/^listening (\d+)$/.exec(line)?.[1]);
    if (!port) throw new Error(`listener on ${host} failed: ${line}`);
    return { child, port, [Symbol.asyncDispose]: () => child[Symbol.asyncDispose]() };
  } catch (error) {
    await child[Symbol.asyncDispose]();
    throw error;
  }
}

/** Whether this process can listen on `host` (decides which IPv6 cases run). */
export async function canListen(host: string): Promise<boolean> {
  const server = createServer();
  return new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ host, port: 0 }, () => server.close(() => resolve(true)));
  });
}

/** The first non-loopback address of `family`, skipping link-local IPv6 (it needs a scope). */
export function interfaceAddress(family: 'IPv4' | 'IPv6'): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.internal || address.family !== family) continue;
      if (family === 'IPv6' && address.address.toLowerCase().startsWith('fe80')) continue;
      return address.address;
    }
  }
  return undefined;
}

/** Highest descriptor number {@link openSockets} looks at. */
const MAX_FD = 4096;

/**
 * The sockets this process holds open, as `dev:inode`, found by `fstat` of each descriptor number:
 * works with /proc hidden or absent (`/proc/self/fd` and `/dev/fd` both need it on Linux).
 */
export function openSockets(): Set<string> {
  const sockets = new Set<string>();
  for (let fd = 0; fd < MAX_FD; fd++) {
    try {
      const stat = fstatSync(fd);
      if (stat.isSocket()) sockets.add(`${stat.dev}:${stat.ino}`);
    } catch {
      // Not open.
    }
  }
  return sockets;
}
