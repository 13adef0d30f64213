import { readFileSync } from 'node:fs';
import { createServer, isIP } from 'node:net';
import { needsProc, procMounted } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { formatAddress, hexWordsToBytes, type ProcNetTcpRow, parseProcNetTcp } from './proc-net-tcp.js';

// Recorded on x86-64 Linux (little-endian) with Node listeners on each address.
const HEADER4 =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const TCP4 = [
  HEADER4,
  '   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1060 1 000000001d3b533a 100 0 0 10 0',
  '   1: 0100007F:A2E9 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 14441 1 000000000cfbc832 100 0 0 10 0                     ',
  '   2: 020200C0:8303 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 14442 1 0000000088ab4ae0 100 0 0 10 0',
  '   3: 0100007F:A506 0100007F:9BB7 01 00000000:00000000 00:00000000 00000000     0        0 14443 2 000000005377f2ce 20 0 0 10 -1',
].join('\n');
const TCP6 = [
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 000080FE00000000FF00FC00010000FE:A4F3 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 14439 1 00000000b06a99f6 100 0 0 10 0',
  '   1: 00000000000000000000000000000000:9BB7 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 14434 1 00000000f42f1728 100 0 0 10 0',
  '   2: 000000FD000000000000000002000000:93CF 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 14437 1 000000009401947d 100 0 0 10 0',
  '   3: 0000000000000000FFFF00000100007F:860F 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 14436 1 00000000fadcfd1c 100 0 0 10 0',
  '   4: 00000000000000000000000001000000:8891 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 14435 1 0000000056b79fa6 100 0 0 10 0',
  '   5: 0000000000000000FFFF00000100007F:9BB7 0000000000000000FFFF00000100007F:A506 01 00000000:00000000 00:00000000 00000000     0        0 14444 1 000000007d492794 20 0 0 10 -1',
].join('\n');

const pick = (row: ProcNetTcpRow) => [row.localAddress, row.localPort, row.state, row.uid, row.inode];

describe('parseProcNetTcp on recorded lines', () => {
  it('reads IPv4 rows in host byte order and skips the header', () => {
    expect(parseProcNetTcp(TCP4, 'IPv4', 'LE').map(pick)).toEqual([
      ['0.0.0.0', 2024, 'LISTEN', 0, 1060],
      ['127.0.0.1', 0xa2e9, 'LISTEN', 0, 14441],
      ['192.0.2.2', 0x8303, 'LISTEN', 1000, 14442],
      ['127.0.0.1', 0xa506, 'ESTABLISHED', 0, 14443],
    ]);
    const established = parseProcNetTcp(TCP4, 'IPv4', 'LE')[3];
    expect([established?.remoteAddress, established?.remotePort]).toEqual(['127.0.0.1', 0x9bb7]);
  });

  it('reads IPv6 rows: link-local, wildcard, global, IPv4-mapped and loopback', () => {
    expect(parseProcNetTcp(TCP6, 'IPv6', 'LE').map(pick)).toEqual([
      ['fe80::fc:ff:fe00:1', 0xa4f3, 'LISTEN', 0, 14439],
      ['::', 0x9bb7, 'LISTEN', 0, 14434],
      ['fd00::2', 0x93cf, 'LISTEN', 0, 14437],
      ['::ffff:127.0.0.1', 0x860f, 'LISTEN', 0, 14436],
      ['::1', 0x8891, 'LISTEN', 0, 14435],
      ['::ffff:127.0.0.1', 0x9bb7, 'ESTABLISHED', 0, 14444],
    ]);
    expect(parseProcNetTcp(TCP6, 'IPv6').every((row) => row.family === 'IPv6')).toBe(true);
  });

  it('reads the same words big-endian as a big-endian kernel prints them', () => {
    expect(
      parseProcNetTcp(TCP4.replace('0100007F:A2E9', '7F000001:A2E9'), 'IPv4', 'BE')[1]?.localAddress,
    ).toBe('127.0.0.1');
    expect(formatAddress(hexWordsToBytes('00000000000000000000FFFF7F000001', 'BE'))).toBe('::ffff:127.0.0.1');
  });

  it('ignores rows of the other family', () => {
    expect(parseProcNetTcp(TCP6, 'IPv4')).toEqual([]);
    expect(parseProcNetTcp(TCP4, 'IPv6')).toEqual([]);
  });
});

describe('formatAddress', () => {
  it('writes RFC 5952 text, as the WHATWG URL parser normalises it', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i++) {
      // Mostly zero groups, so runs of zeros of every length and position occur.
      const bytes = new Uint8Array(16).map(() => (random() < 0.6 ? 0 : Math.floor(random() * 256)));
      const text = formatAddress(bytes);
      expect(isIP(text)).toBe(6);
      if (!text.startsWith('::ffff:') || text.includes(':', 7)) {
        expect(text).toBe(new URL(`http://[${text}]/`).hostname.slice(1, -1));
      }
    }
  });
});

describe('parseProcNetTcp fuzzing', () => {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const alphabet = '0123456789ABCDEFabcdef: \t\n\0x-:[]';
  const lines = [...TCP4.split('\n'), ...TCP6.split('\n')];

  function mutate(line: string): string {
    const chars = [...line];
    const edits = 1 + Math.floor(random() * 4);
    for (let i = 0; i < edits; i++) {
      const at = Math.floor(random() * (chars.length + 1));
      const kind = random();
      if (kind < 0.3) chars.splice(at, 1);
      else if (kind < 0.6) chars.splice(at, 0, alphabet[Math.floor(random() * alphabet.length)] ?? '');
      else if (kind < 0.8) chars.length = at;
      else chars[at] = String.fromCharCode(Math.floor(random() * 0x3000));
    }
    return chars.join('');
  }

  it('never throws on garbage or mutated lines, and every row it returns is well-formed', () => {
    let parsed = 0;
    for (let round = 0; round < 3000; round++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
        const base = lines[Math.floor(random() * lines.length)] ?? '';
        if (random() < 0.2)
          return Array.from(
            { length: Math.floor(random() * 200) },
            () => alphabet[Math.floor(random() * alphabet.length)],
          ).join('');
        return random() < 0.8 ? mutate(base) : base;
      }).join('\n');
      for (const family of ['IPv4', 'IPv6'] as const) {
        const rows = parseProcNetTcp(text, family);
        parsed += rows.length;
        for (const row of rows) {
          expect(isIP(row.localAddress)).toBe(family === 'IPv4' ? 4 : 6);
          expect(isIP(row.remoteAddress)).toBe(family === 'IPv4' ? 4 : 6);
          expect(row.localPort).toBeGreaterThanOrEqual(0);
          expect(row.localPort).toBeLessThanOrEqual(65535);
          expect(Number.isSafeInteger(row.inode) && Number.isSafeInteger(row.uid)).toBe(true);
          expect(row.state).toMatch(/^[A-Z_0-9]+$/);
        }
      }
    }
    // Some mutations keep a row valid: the checks above ran on real output, not on nothing.
    expect(parsed).toBeGreaterThan(100);
  });
});

describe('parseProcNetTcp on this machine', () => {
  it('finds a listener we just opened, with our uid', async (context) => {
    if (!procMounted) context.skip(needsProc('/proc/net/tcp is the socket table read here'));
    await using server = await listening('127.0.0.1');
    const port = (server.address() as { port: number }).port;
    const rows = parseProcNetTcp(readFileSync('/proc/net/tcp', 'utf8'), 'IPv4').filter(
      (row) => row.localPort === port && row.state === 'LISTEN',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ localAddress: '127.0.0.1', uid: process.getuid?.() });
  });
});

async function listening(host: string) {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0 }, resolve);
  });
  return Object.assign(server, {
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
