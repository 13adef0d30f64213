import { readFile } from 'node:fs/promises';

/** `st` of a listening socket in /proc/net/tcp{,6}. */
const TCP_LISTEN = '0A';

/**
 * Every TCP port something listens on, from one read of /proc/net/tcp and /proc/net/tcp6.
 * `cmgr ports` asks @ports/probe's `portHolders` (which reads both tables per port) only about ports in
 * this set: reading those tables costs about a millisecond of kernel time each, and 20 instances have
 * over a hundred tool ports. `undefined` when the tables cannot be read (not Linux): ask about every port.
 */
export async function listeningPorts(): Promise<Set<number> | undefined> {
  const tables = await Promise.all(
    ['/proc/net/tcp', '/proc/net/tcp6'].map((path) =>
      readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) =>
        error.code === 'ENOENT' ? '' : undefined,
      ),
    ),
  );
  if (tables.some((table) => table === undefined) || tables.every((table) => table === '')) return undefined;
  const ports = new Set<number>();
  for (const table of tables as string[]) {
    for (const line of table.split('\n').slice(1)) {
      // "  0: 0100007F:1F90 00000000:0000 0A ..." : local address, remote address, state.
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== TCP_LISTEN) continue;
      const port = Number.parseInt(fields[1]?.split(':')[1] ?? '', 16);
      if (Number.isInteger(port)) ports.add(port);
    }
  }
  return ports;
}
