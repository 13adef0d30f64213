import { createServer } from 'node:net';

/** A range of `size` consecutive loopback ports that were all free a moment ago. */
export async function freePortRange(size: number): Promise<{ start: number; end: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const held: (() => Promise<void>)[] = [];
    try {
      const base = await hold(0);
      held.push(base.release);
      if (base.port + size - 1 > 65_535) continue;
      for (let port = base.port + 1; port < base.port + size; port++) held.push((await hold(port)).release);
      return { start: base.port, end: base.port + size - 1 };
    } catch {
      // a neighbour is taken: another base
    } finally {
      await Promise.all(held.map((release) => release()));
    }
  }
  throw new Error(`no ${size} consecutive free ports`);
}

async function hold(port: number): Promise<{ port: number; release: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  return { port: bound, release: () => new Promise((resolve) => server.close(() => resolve())) };
}
