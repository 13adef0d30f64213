import { readdir, readFile, readlink } from 'node:fs/promises';
import { ProbeError } from './errors.js';
import type { HolderRow } from './holder-row.js';
import { type AddressFamily, type ProcNetTcpRow, parseProcNetTcp } from './proc-net-tcp.js';

/**
 * @internal Listening sockets on `ports` from `/proc/net/tcp` and `/proc/net/tcp6`, each with the
 * lowest-numbered process whose `/proc/<pid>/fd` holds it (where readable: other users' need root).
 */
export async function procHolders(ports: ReadonlySet<number>): Promise<HolderRow[]> {
  const tables = await Promise.all([readTable('/proc/net/tcp', 'IPv4'), readTable('/proc/net/tcp6', 'IPv6')]);
  const rows = tables.flat().filter((row) => row.state === 'LISTEN' && ports.has(row.localPort));
  if (rows.length === 0) return [];
  const owners = await findSocketOwners(new Set(rows.map((row) => row.inode).filter((inode) => inode !== 0)));
  return rows.map((row) => {
    const owner = owners.get(row.inode);
    return {
      port: row.localPort,
      address: row.localAddress,
      family: row.family,
      ...(owner && { pid: owner.pid }),
      ...(owner?.command !== undefined && { command: owner.command }),
      uid: row.uid,
      inode: row.inode,
    };
  });
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
