import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { arePortsFree, firstEphemeralPort, freePortRange } from './free-ports.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function listen(port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host }, () => resolve(server));
    servers.push(server);
  });
}

describe('freePortRange', () => {
  it('gives consecutive ports below the ephemeral ones that a listener can take', async () => {
    const { start, end } = await freePortRange(4);
    expect(end - start).toBe(3);
    expect(start).toBeGreaterThanOrEqual(10_000);
    expect(end).toBeLessThan(firstEphemeralPort());
    for (let port = start; port <= end; port++) await listen(port, '127.0.0.1');
  });

  it('counts a port taken on loopback or on every address as not free', async () => {
    const { start } = await freePortRange(3);
    expect(await arePortsFree(start, 3)).toBe(true);
    await listen(start + 1, '127.0.0.1');
    expect(await arePortsFree(start, 3)).toBe(false);
    expect(await arePortsFree(start + 2, 1)).toBe(true);
    await listen(start + 2, '0.0.0.0');
    expect(await arePortsFree(start + 2, 1)).toBe(false);
  });
});
