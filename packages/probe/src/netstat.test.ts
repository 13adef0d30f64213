import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTempDir } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { netstatHolders, parseNetstat, parseTasklist } from './netstat.js';

const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`../test/fixtures/holders/${name}`, import.meta.url));
const recorded = (name: string): string => readFileSync(fixturePath(name), 'utf8');

describe('parseNetstat on recorded Windows output', () => {
  it('gives the listeners of the ports asked about, IPv4 and IPv6, and no connections', () => {
    const ports = new Set([8765, 8766, 8767, 8768]);
    expect(parseNetstat(recorded('netstat-tcp.txt'), ports)).toEqual([
      { port: 8766, address: '0.0.0.0', family: 'IPv4', pid: 7312 },
      { port: 8765, address: '127.0.0.1', family: 'IPv4', pid: 12345 },
      // Pid 0: Windows names no owner.
      { port: 8767, address: '192.168.1.20', family: 'IPv4' },
    ]);
    expect(parseNetstat(recorded('netstat-tcpv6.txt'), ports)).toEqual([
      { port: 8766, address: '::', family: 'IPv6', pid: 7312 },
      { port: 8765, address: '::1', family: 'IPv6', pid: 12345 },
      { port: 8768, address: 'fe80::1c2b:3d4e:5f60:7182%12', family: 'IPv6', pid: 4 },
    ]);
  });

  it('tells a listener by its foreign port 0, whatever language the state is in', () => {
    expect(parseNetstat(recorded('netstat-tcp-de.txt'), new Set([8765]))).toEqual([
      { port: 8765, address: '127.0.0.1', family: 'IPv4', pid: 12345 },
    ]);
    expect(parseNetstat('garbage\n  TCP nothing\n', new Set([8765]))).toEqual([]);
  });

  it('reads tasklist CSV into image names, quotes included, and nothing from its "no tasks" line', () => {
    const names = parseTasklist(recorded('tasklist.txt'));
    expect(names.get(12345)).toBe('node.exe');
    expect(names.get(7312)).toBe('Code "Insiders".exe');
    expect(names.get(4)).toBe('System');
    expect(parseTasklist(recorded('tasklist-none.txt')).size).toBe(0);
  });
});

describe('netstatHolders', () => {
  it('runs netstat for both tables and names each pid by tasklist', async () => {
    await using dir = await createTempDir();
    const netstat = dir.join('netstat');
    writeFileSync(
      netstat,
      `#!/bin/sh\nif [ "$3" = TCPv6 ]; then cat "${fixturePath('netstat-tcpv6.txt')}"; else cat "${fixturePath('netstat-tcp.txt')}"; fi\n`,
    );
    const tasklist = dir.join('tasklist');
    writeFileSync(tasklist, `#!/bin/sh\ncat "${fixturePath('tasklist.txt')}"\n`);
    chmodSync(netstat, 0o755);
    chmodSync(tasklist, 0o755);
    const rows = await netstatHolders(new Set([8765]), { netstat, tasklist });
    expect(rows).toEqual([
      { port: 8765, address: '127.0.0.1', family: 'IPv4', pid: 12345, command: 'node.exe' },
      { port: 8765, address: '::1', family: 'IPv6', pid: 12345, command: 'node.exe' },
    ]);
    // Without tasklist the pids stay, the names go; without netstat nothing is known.
    const noTasklist = await netstatHolders(new Set([8765]), { netstat, tasklist: dir.join('missing') });
    expect(noTasklist?.map((row) => [row.pid, row.command])).toEqual([
      [12345, undefined],
      [12345, undefined],
    ]);
    expect(await netstatHolders(new Set([8765]), { netstat: dir.join('missing'), tasklist })).toBeUndefined();
  });
});
