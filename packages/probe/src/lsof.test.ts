import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTempDir } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { lsofHolders, parseLsof } from './lsof.js';

const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`../test/fixtures/holders/${name}`, import.meta.url));
const recorded = (name: string): string => readFileSync(fixturePath(name), 'utf8');

describe('parseLsof on recorded macOS output', () => {
  it('gives one row per listening socket of the ports asked about, with pid, name, uid and family', () => {
    const rows = parseLsof(recorded('lsof-macos.txt'), new Set([8765, 8766, 8767, 8768]));
    expect(rows).toEqual([
      { port: 8765, address: '127.0.0.1', family: 'IPv4', pid: 4242, command: 'node', uid: 501 },
      { port: 8765, address: '::1', family: 'IPv6', pid: 4242, command: 'node', uid: 501 },
      // macOS's IPv6 wildcard is dual-stack, as on Linux.
      { port: 8766, address: '::', family: 'IPv6', pid: 4311, command: 'node', uid: 501 },
      { port: 8767, address: 'fe80:4::1', family: 'IPv6', pid: 9001, command: 'Python', uid: 0 },
      { port: 8768, address: '192.168.1.20', family: 'IPv4', pid: 9001, command: 'Python', uid: 0 },
    ]);
  });

  it('reads the -F pcn form too (no type: a wildcard counts as IPv4, brackets as IPv6)', () => {
    expect(parseLsof(recorded('lsof-macos-pcn.txt'), new Set([8765, 8766]))).toEqual([
      { port: 8765, address: '127.0.0.1', family: 'IPv4', pid: 4242, command: 'node' },
      { port: 8765, address: '::1', family: 'IPv6', pid: 4242, command: 'node' },
      { port: 8766, address: '0.0.0.0', family: 'IPv4', pid: 4311, command: 'node' },
    ]);
  });

  it('skips other ports, connected sockets and garbage without throwing', () => {
    const text =
      'p1\ncx\nf3\nn127.0.0.1:8765->127.0.0.1:50000\nnnot an address\nn*:99999\nzzz\n\np\nn*:8765\n';
    expect(parseLsof(text, new Set([8765]))).toEqual([{ port: 8765, address: '0.0.0.0', family: 'IPv4' }]);
    expect(parseLsof(recorded('lsof-macos.txt'), new Set([1]))).toEqual([]);
  });
});

describe('lsofHolders', () => {
  it('runs lsof with the listening-socket query for all ports at once, and reads what it prints', async () => {
    await using dir = await createTempDir();
    const fake = dir.join('lsof');
    writeFileSync(
      fake,
      `#!/bin/sh\necho "$*" > "${dir.join('called')}"\ncat "${fixturePath('lsof-macos.txt')}"\n`,
    );
    chmodSync(fake, 0o755);
    const rows = await lsofHolders(new Set([8765, 8766]), fake);
    expect(rows?.map((row) => [row.port, row.address, row.pid])).toEqual([
      [8765, '127.0.0.1', 4242],
      [8765, '::1', 4242],
      [8766, '::', 4311],
    ]);
    expect(readFileSync(dir.join('called'), 'utf8').trim()).toBe('-nP -iTCP:8765,8766 -sTCP:LISTEN -F pcnut');
  });

  it('says [] when lsof finds nothing (exit 1), and undefined (holder unknown) when there is no lsof', async () => {
    await using dir = await createTempDir();
    const fake = dir.join('lsof');
    writeFileSync(fake, '#!/bin/sh\nexit 1\n');
    chmodSync(fake, 0o755);
    expect(await lsofHolders(new Set([8765]), fake)).toEqual([]);
    expect(await lsofHolders(new Set([8765]), dir.join('missing'))).toBeUndefined();
  });
});
