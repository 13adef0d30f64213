import { existsSync } from 'node:fs';
import { ProbeError } from './errors.js';
import type { HolderRow } from './holder-row.js';
import { lsofHolders } from './lsof.js';
import { netstatHolders } from './netstat.js';
import { validatePort } from './options.js';
import { procHolders } from './proc-holders.js';
import type { AddressFamily } from './proc-net-tcp.js';

/** A socket listening on the port, and the process holding it when that can be read. */
export interface PortHolder {
  readonly port: number;
  /** The local address listened on: `0.0.0.0`, `::`, `127.0.0.1`, `::ffff:127.0.0.1`… */
  readonly address: string;
  readonly family: AddressFamily;
  /** The process holding the socket (the lowest-numbered one on Linux); absent when it cannot be read. */
  readonly pid?: number;
  /**
   * Its command line (arguments joined by spaces, or its name when that is empty) on Linux; its name
   * as `lsof` prints it (up to 9 characters by default) on macOS; its image name (`node.exe`) on Windows.
   */
  readonly command?: string;
  /** The user owning the socket (Linux; macOS when lsof says). */
  readonly uid?: number;
  /** The socket's inode, as `ss -e` and `/proc/<pid>/fd` show it (Linux only). */
  readonly inode?: number;
  readonly state: 'LISTEN';
}

/**
 * Where {@link portHolders} looks on this machine: `/proc/net/tcp*` (`'proc'`, Linux), `lsof`
 * (macOS and the BSDs), `netstat` and `tasklist` (Windows), or nowhere (`'none'`: Linux with /proc
 * hidden, other platforms), where every port's holders are unknown and reported as `[]`.
 */
export type PortHolderSource = 'proc' | 'lsof' | 'netstat' | 'none';

const LSOF_PLATFORMS = new Set<NodeJS.Platform>(['darwin', 'freebsd', 'openbsd', 'netbsd']);

/** Decided by what exists (`/proc/net/tcp`), not by the platform's name alone. */
export function portHolderSource(): PortHolderSource {
  if (existsSync('/proc/net/tcp')) return 'proc';
  if (process.platform === 'win32') return 'netstat';
  if (LSOF_PLATFORMS.has(process.platform)) return 'lsof';
  return 'none';
}

/**
 * Who listens on TCP `port`: one entry per listening socket, with the pid and command of the process
 * holding it where that can be read. On Linux it reads `/proc` directly (`/proc/<pid>/fd` of other
 * users' processes needs root); on macOS it runs `lsof -nP -iTCP:<port> -sTCP:LISTEN`; on Windows
 * `netstat -ano` and `tasklist`. Returns `[]` when nothing listens, and also when the holder cannot be
 * known here (see {@link portHolderSource}; a missing `lsof` or `netstat` too): never an error for that.
 *
 * @throws {ProbeError} `EINVALIDPORT` for a bad port; `EPROBEFAILED` when `/proc/net/tcp` exists but
 * cannot be read.
 *
 * @example
 * ```ts source="./index.examples.ts#portHolders"
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
 * {@link portHolders} for many ports at once: one look answers for all of them (both socket tables
 * read and `/proc` scanned once on Linux, one `lsof` or `netstat` run elsewhere), where asking port
 * by port repeats it for each port. The map has an entry for every port asked about, `[]` for those
 * nothing listens on or whose holders cannot be known here.
 *
 * @throws {ProbeError} `EINVALIDPORT` for a bad port; `EPROBEFAILED` when `/proc/net/tcp` exists but
 * cannot be read.
 *
 * @example
 * ```ts source="./index.examples.ts#portHoldersOf"
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
  if (result.size === 0) return result;
  const wanted = new Set(result.keys());
  for (const row of (await rowsFrom(portHolderSource(), wanted)) ?? []) {
    result.get(row.port)?.push({ ...row, state: 'LISTEN' });
  }
  return result;
}

function rowsFrom(source: PortHolderSource, ports: ReadonlySet<number>): Promise<HolderRow[] | undefined> {
  switch (source) {
    case 'proc':
      return procHolders(ports);
    case 'lsof':
      return lsofHolders(ports);
    case 'netstat':
      return netstatHolders(ports);
    default:
      return Promise.resolve(undefined);
  }
}
