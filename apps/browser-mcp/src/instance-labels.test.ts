import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchLabel } from './instance-labels.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A process holding a port a registry entry names, answering `GET /` with `body`. */
async function holder(body: string): Promise<number> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('fetchLabel, against whatever holds the port', () => {
  it('reads the label of the instance the registry names', async () => {
    const port = await holder(JSON.stringify({ instanceId: 'a', label: 'Claude Desktop · ports' }));
    expect(await fetchLabel('127.0.0.1', port, 'a')).toBe('Claude Desktop · ports');
  });

  it('strips terminal escapes and bidi controls a hostile holder sends', async () => {
    const port = await holder(
      JSON.stringify({ instanceId: 'a', label: '\u001b[2J\u001b[31mevil\u202e\u0007' }),
    );
    const label = await fetchLabel('127.0.0.1', port, 'a');
    expect(label).not.toMatch(/\p{Cc}|\u202e/u);
    expect(label).toContain('evil');
  });

  it('says nothing for another instance, non-JSON, or nobody listening', async () => {
    expect(
      await fetchLabel('127.0.0.1', await holder(JSON.stringify({ instanceId: 'b', label: 'x' })), 'a'),
    ).toBe(undefined);
    expect(await fetchLabel('127.0.0.1', await holder('<html>'), 'a')).toBeUndefined();
    const port = await holder('{}');
    await new Promise((resolve) => servers.pop()?.close(resolve));
    expect(await fetchLabel('127.0.0.1', port, 'a')).toBeUndefined();
  });
});
