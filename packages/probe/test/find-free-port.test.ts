import { createServer, type Server } from 'node:net';
import { findFreePort, isPortInUse } from '@ports/probe';
import { describe, expect, it } from 'vitest';
import { childListener } from './helpers.js';

/** Holds `count` consecutive ports (on `::`) so a test owns the whole window; release them one by one. */
async function holdWindow(
  count: number,
): Promise<{ start: number; release(port: number): Promise<void> } & AsyncDisposable> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const servers = new Map<number, Server>();
    const first = await listenOn(0);
    if (!first) continue;
    const start = (first.address() as { port: number }).port;
    servers.set(start, first);
    for (let port = start + 1; port < start + count && port <= 65535; port++) {
      const server = await listenOn(port);
      if (!server) break;
      servers.set(port, server);
    }
    const release = async (port: number): Promise<void> => {
      const server = servers.get(port);
      servers.delete(port);
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    const releaseAll = async (): Promise<void> => {
      for (const port of [...servers.keys()]) await release(port);
    };
    if (servers.size === count) return { start, release, [Symbol.asyncDispose]: releaseAll };
    await releaseAll();
  }
  throw new Error(`could not hold ${count} consecutive ports`);
}

function listenOn(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen({ host: '::', port, exclusive: true }, () => resolve(server));
  });
}

describe('findFreePort', () => {
  it('returns the first free port in order, skipping a port held by another process', async () => {
    await using window = await holdWindow(4);
    const { start } = window;
    await window.release(start + 2);
    await window.release(start + 3);
    expect(await findFreePort({ range: [start, start + 3] })).toBe(start + 2);
    await window.release(start);
    expect(await findFreePort({ range: [start, start + 3] })).toBe(start);
  });

  it('honours exclude even for free ports', async () => {
    await using window = await holdWindow(4);
    const { start } = window;
    await window.release(start + 1);
    await window.release(start + 3);
    expect(await findFreePort({ range: [start, start + 3], exclude: [start + 1] })).toBe(start + 3);
    expect(
      await findFreePort({ range: [start, start + 3], exclude: new Set([start + 1, start + 3]) }),
    ).toBeUndefined();
  });

  it('returns undefined, never a port outside the range, when the range is full', async () => {
    await using window = await holdWindow(3);
    const { start } = window;
    expect(await findFreePort({ range: [start, start + 2] })).toBeUndefined();
    expect(await findFreePort({ range: [start + 1, start + 1] })).toBeUndefined();
  });

  it('skips a port a child process holds on IPv4 loopback only', async () => {
    await using listener = await childListener('127.0.0.1');
    const { port } = listener;
    expect(await isPortInUse(port)).toBe(true);
    const found = await findFreePort({ range: [port, Math.min(port + 10, 65535)] });
    expect(found === undefined || (found > port && found <= port + 10)).toBe(true);
  });
});
