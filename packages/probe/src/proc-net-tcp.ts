import { endianness as osEndianness } from 'node:os';

/** Address family of a socket, spelled as `net.Server#address()` spells it. */
export type AddressFamily = 'IPv4' | 'IPv6';

/** A TCP state as the kernel names it (`include/net/tcp_states.h`). */
export type TcpState =
  | 'ESTABLISHED'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'LISTEN'
  | 'CLOSING'
  | 'NEW_SYN_RECV'
  | 'UNKNOWN';

const STATES: readonly TcpState[] = [
  'UNKNOWN',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
];

/** @internal One socket row of `/proc/net/tcp` or `/proc/net/tcp6`. */
export interface ProcNetTcpRow {
  readonly family: AddressFamily;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly state: TcpState;
  readonly uid: number;
  readonly inode: number;
}

// sl: local rem st tx:rx tr:when retrnsmt uid timeout inode ...
const ROW =
  /^\s*\d+:\s+([0-9A-Fa-f]+):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]+):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]{2})\s+\S+\s+\S+\s+\S+\s+(\d+)\s+\d+\s+(\d+)(?:\s|$)/;

/**
 * @internal Parses the text of `/proc/net/tcp` (`family` IPv4) or `/proc/net/tcp6` (IPv6). The kernel
 * prints each address as 32-bit words in host byte order, so `endianness` says how to read them back.
 * Lines that are not well-formed rows (the header, garbage, a row of the other family) are skipped,
 * never thrown on.
 */
export function parseProcNetTcp(
  text: string,
  family: AddressFamily,
  endianness: 'LE' | 'BE' = osEndianness(),
): ProcNetTcpRow[] {
  const hexLength = family === 'IPv4' ? 8 : 32;
  const rows: ProcNetTcpRow[] = [];
  for (const line of text.split('\n')) {
    const match = ROW.exec(line);
    if (!match) continue;
    const [, local = '', localPort = '', remote = '', remotePort = '', state = '', uid = '', inode = ''] =
      match;
    if (local.length !== hexLength || remote.length !== hexLength) continue;
    const uidNumber = Number(uid);
    const inodeNumber = Number(inode);
    if (!Number.isSafeInteger(uidNumber) || !Number.isSafeInteger(inodeNumber)) continue;
    rows.push({
      family,
      localAddress: formatAddress(hexWordsToBytes(local, endianness)),
      localPort: Number.parseInt(localPort, 16),
      remoteAddress: formatAddress(hexWordsToBytes(remote, endianness)),
      remotePort: Number.parseInt(remotePort, 16),
      state: STATES[Number.parseInt(state, 16)] ?? 'UNKNOWN',
      uid: uidNumber,
      inode: inodeNumber,
    });
  }
  return rows;
}

/** @internal Bytes in network order from the kernel's host-order 32-bit hex words. */
export function hexWordsToBytes(hex: string, endianness: 'LE' | 'BE'): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let word = 0; word < hex.length / 8; word++) {
    const value = Number.parseInt(hex.slice(word * 8, word * 8 + 8), 16);
    for (let i = 0; i < 4; i++) {
      const shift = endianness === 'LE' ? 8 * i : 8 * (3 - i);
      bytes[word * 4 + i] = (value >>> shift) & 0xff;
    }
  }
  return bytes;
}

/** @internal Dotted quad for 4 bytes; RFC 5952 text for 16 (IPv4-mapped as `::ffff:a.b.c.d`). */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  const isMapped = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isMapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // RFC 5952: shorten the longest run of two or more zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
