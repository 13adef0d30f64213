import { readdir, readFile, readlink } from 'node:fs/promises';
import { ProbeError } from './errors.js';
import { validatePort } from './options.js';
import { type AddressFamily, type ProcNetTcpRow, parseProcNetTcp } from './proc-net-tcp.js';

/** A socket listening on the port, and the process holding it when that can be read. */
export interface PortHolder {
  readonly port: number;
  /** The local address listened on: `0.0.0.0`, `::`, `127.0.0.1`, `::ffff:127.0.0.1`… */
  readonly address: string;
  readonly family: AddressFamily;
  /** The lowest-numbered process holding the socket; absent when no readable process holds it. */
  readonly pid?: number;
  /** Its command line (arguments joined by spaces), or its name when the command line is empty. */
  readonly command?: string;
  /** The user owning the socket. */
  readonly uid: number;
  /** The socket's inode, as `ss -e` and `/proc/<pid>/fd` show it. */
  readonly inode: number;
  readonly state: 'LISTEN';
}

/**
 * Who listens on TCP `port` in this network namespace: one entry per listening socket, with the pid
 * and command of the process holding it where `/proc/<pid>/fd` is readable (other users' processes
 * need root). Reads `/proc` directly; runs no `ss`, `lsof` or `netstat`. Returns `[]` on other
 * platforms than Linux, and when nothing listens.
 *
 * @throws {ProbeError} `EINVALIDPORT` for a bad port; `EPROBEFAILED` when `/proc/net/tcp` exists but
 * cannot be read.
 *
 * @example
 * ```ts
 * for (const holder of await portHolders(8765)) {
 *   console.error(`${holder.address}:${holder.port} held by ${holder.pid ?? '?'} ${holder.command ?? ''}`);
 * }
 * ```
 */
export async function portHolders(port: number): Promise<PortHolder[]> {
  validatePort(port);
  return (await portHoldersOf([port])).get(port) ?? [];
}

/**
 * {@link portHolders} for many ports at once: both socket tables are read once and `/proc` is
 * scanned once for all of them, where asking port by port repeats both for each port (a table read
 * costs about a millisecond of kernel time on a busy machine). The map has an entry for every port
 * asked about, `[]` for those nothing listens on (and for all of them on other platforms than Linux).
 *
 * @throws {ProbeError} `EINVALIDPORT` for a bad port; `EPROBEFAILED` when `/proc/net/tcp` exists but
 * cannot be read.
 *
 * @example
 * ```ts
 * const holders = await portHoldersOf([9000, 9001, 9002]);
 * for (const [port, found] of holders) if (found.length > 0) console.error(`${port}: pid ${found[0]?.pid}`);
 * ```
 */
export async function portHoldersOf(ports: Iterable<number>): Promise<Map<number, PortHolder[]>> {
  if (typeof (ports as Partial<Iterable<number>> | null)?.[Symbol.iterator] !== 'function') {
    throw new ProbeError('EINVALIDOPTION', `portHoldersOf needs an iterable of ports, got ${String(ports)}`);
  }
  const result = new Map<number, PortHolder[]>();
  for (const port of ports) result.set(validatePort(port), []);
  if (process.platform !== 'linux' || result.size === 0) return result;
  const tables = await Promise.all([readTable('/proc/net/tcp', 'IPv4'), readTable('/proc/net/tcp6', 'IPv6')]);
  const rows = tables.flat().filter((row) => row.state === 'LISTEN' && result.has(row.localPort));
  if (rows.length === 0) return result;
  const owners = await findSocketOwners(new Set(rows.map((row) => row.inode).filter((inode) => inode !== 0)));
  for (const row of rows) {
    const owner = owners.get(row.inode);
    result.get(row.localPort)?.push({
      port: row.localPort,
      address: row.localAddress,
      family: row.family,
      ...(owner && { pid: owner.pid }),
      ...(owner?.command !== undefined && { command: owner.command }),
      uid: row.uid,
      inode: row.inode,
      state: 'LISTEN',
    });
  }
  return result;
}

async function readTable(path: string, family: AddressFamily): Promise<ProcNetTcpRow[]> {
  try {
    return parseProcNetTcp(await readFile(path, 'utf8'), family);
  } catch (error) {
    // A kernel without IPv6 has no tcp6 table: nothing listens there.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ProbeError('EPROBEFAILED', `could not read ${path} to find who holds the port`, {
      cause: error,
    });
  }
}

interface SocketOwner {
  readonly pid: number;
  readonly command: string | undefined;
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/;

/** Scans `/proc/<pid>/fd` in pid order until every inode has an owner or no process is left. */
async function findSocketOwners(inodes: ReadonlySet<number>): Promise<Map<number, SocketOwner>> {
  const owners = new Map<number, SocketOwner>();
  if (inodes.size === 0) return owners;
  const pids = (await readdir('/proc'))
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
  for (const pid of pids) {
    const found = (await socketInodesOf(pid)).filter((inode) => inodes.has(inode) && !owners.has(inode));
    if (found.length === 0) continue;
    const command = await commandOf(pid);
    for (const inode of found) owners.set(inode, { pid, command });
    if (owners.size === inodes.size) break;
  }
  return owners;
}

async function socketInodesOf(pid: number): Promise<number[]> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    // Another user's process (EACCES) or one that just exited (ENOENT): not ours to name.
    return [];
  }
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  const inodes: number[] = [];
  for (const link of links) {
    const match = SOCKET_LINK.exec(link);
    if (match) inodes.push(Number(match[1]));
  }
  return inodes;
}

async function commandOf(pid: number): Promise<string | undefined> {
  try {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    if (args.at(-1) === '') args.pop();
    if (args.length > 0) return args.join(' ');
  } catch {
    // Falls through to comm.
  }
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}
