import { connect } from 'node:net';
import { findFreePort, isPortInUse } from '@ports/probe';
import { describe, expect, it } from 'vitest';
import { canListen, childListener, interfaceAddress } from './helpers.js';

const hasIPv6 = await canListen('::1');
const ipv4Interface = interfaceAddress('IPv4');
const ipv6Interface = hasIPv6 ? interfaceAddress('IPv6') : undefined;

interface ListenerKind {
  readonly name: string;
  readonly host: string | undefined;
  readonly mode?: 'v6only';
  readonly ipv6: boolean;
  /** What the alternatives see (the README's table): bind 0.0.0.0, bind 127.0.0.1, connect 127.0.0.1. */
  readonly seenBy: { readonly anyV4: boolean; readonly loopbackV4: boolean; readonly connect: boolean };
}

const kinds: readonly ListenerKind[] = [
  {
    name: '127.0.0.1',
    host: '127.0.0.1',
    ipv6: false,
    seenBy: { anyV4: true, loopbackV4: true, connect: true },
  },
  { name: '0.0.0.0', host: '0.0.0.0', ipv6: false, seenBy: { anyV4: true, loopbackV4: true, connect: true } },
  {
    name: 'IPv4 interface',
    host: ipv4Interface,
    ipv6: false,
    seenBy: { anyV4: true, loopbackV4: false, connect: false },
  },
  { name: '::1', host: '::1', ipv6: true, seenBy: { anyV4: false, loopbackV4: false, connect: false } },
  { name: ':: dual-stack', host: '::', ipv6: true, seenBy: { anyV4: true, loopbackV4: true, connect: true } },
  {
    name: ':: IPv6-only',
    host: '::',
    mode: 'v6only',
    ipv6: true,
    seenBy: { anyV4: false, loopbackV4: false, connect: false },
  },
  {
    name: 'IPv6 interface',
    host: ipv6Interface,
    ipv6: true,
    seenBy: { anyV4: false, loopbackV4: false, connect: false },
  },
];

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('address matrix: a listener on any local address is detected', () => {
  for (const kind of kinds) {
    const missing = kind.host === undefined || (kind.ipv6 && !hasIPv6);
    it.skipIf(missing)(
      `detects a child process listening on ${kind.name}, and forgets it once closed`,
      async () => {
        const listener = await childListener(kind.host as string, kind.mode ?? '');
        const { port } = listener;
        try {
          expect(await isPortInUse(port)).toBe(true);
          expect(await findFreePort({ range: [port, port] })).toBeUndefined();
          const next = await findFreePort({ range: [port, Math.min(port + 20, 65535)] });
          expect(next).not.toBe(port);
          if (next !== undefined) expect(next).toBeGreaterThan(port);
          // The table in the README: what the usual shortcuts see of the same listener.
          expect(await isPortInUse(port, { host: '0.0.0.0' })).toBe(kind.seenBy.anyV4);
          expect(await isPortInUse(port, { host: '127.0.0.1' })).toBe(kind.seenBy.loopbackV4);
          expect(await connects(port)).toBe(kind.seenBy.connect);
        } finally {
          await listener[Symbol.asyncDispose]();
        }
        expect(await isPortInUse(port)).toBe(false);
        expect(await findFreePort({ range: [port, port] })).toBe(port);
      },
    );
  }
});

describe('probing one host', () => {
  it.skipIf(!hasIPv6)('sees only what conflicts with that address', async () => {
    await using listener = await childListener('::1');
    expect(await isPortInUse(listener.port, { host: '::1' })).toBe(true);
    expect(await isPortInUse(listener.port, { host: '[::1]' })).toBe(true);
    expect(await isPortInUse(listener.port, { host: '127.0.0.1' })).toBe(false);
  });

  it('rejects a host that is not an address of this machine', async () => {
    await using listener = await childListener('127.0.0.1');
    await expect(isPortInUse(listener.port, { host: '203.0.113.7' })).rejects.toMatchObject({
      code: 'EHOSTUNAVAILABLE',
    });
  });
});
