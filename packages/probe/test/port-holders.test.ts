import { readdirSync, readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { portHolderSource, portHolders, portHoldersOf } from '@ports/probe';
import { procMounted } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { canListen, childListener } from './helpers.js';

const hasIPv6 = await canListen('::1');

function listen(host: string, port = 0): Promise<Server & AsyncDisposable> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () =>
      resolve(
        Object.assign(server, {
          [Symbol.asyncDispose]: () => new Promise<void>((done) => server.close(() => done())),
        }),
      ),
    );
  });
}

function socketInodesOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
    return match ? [Number(match[1])] : [];
  });
}

// Linux's source: skipped where /proc is not mounted (there the holders are unknown, see below).
describe.skipIf(!procMounted)('portHolders from /proc/net/tcp* (needs /proc)', () => {
  it('names the child process that listens: pid, command line, uid and its socket inode', async () => {
    await using listener = await childListener('127.0.0.1');
    const holders = await portHolders(listener.port);
    expect(holders).toEqual([
      {
        port: listener.port,
        address: '127.0.0.1',
        family: 'IPv4',
        pid: listener.child.pid,
        command: expect.stringMatching(/node .*fixtures\/listen\.ts 127\.0\.0\.1/),
        uid: process.getuid?.(),
        inode: expect.any(Number),
        state: 'LISTEN',
      },
    ]);
    expect(socketInodesOf(listener.child.pid)).toContain(holders[0]?.inode);
  });

  it.skipIf(!hasIPv6)('reports a dual-stack listener as IPv6 ::', async () => {
    await using listener = await childListener('::');
    expect(await portHolders(listener.port)).toMatchObject([
      { address: '::', family: 'IPv6', pid: listener.child.pid, state: 'LISTEN' },
    ]);
  });

  it.skipIf(!hasIPv6)('lists every socket on the port, across families', async () => {
    await using v4 = await listen('127.0.0.1');
    const port = (v4.address() as { port: number }).port;
    await using _v6 = await listen('::1', port);
    const holders = await portHolders(port);
    expect(holders.map((holder) => [holder.address, holder.family, holder.pid])).toEqual([
      ['127.0.0.1', 'IPv4', process.pid],
      ['::1', 'IPv6', process.pid],
    ]);
    expect(new Set(holders.map((holder) => holder.inode)).size).toBe(2);
  });

  it('returns [] for a free port, including one whose holder has just exited', async () => {
    const listener = await childListener('127.0.0.1');
    expect(await portHolders(listener.port)).toHaveLength(1);
    await listener[Symbol.asyncDispose]();
    expect(await portHolders(listener.port)).toEqual([]);
  });
});

describe.skipIf(!procMounted)('portHoldersOf from /proc (needs /proc)', () => {
  it('answers for many ports from one look: each holder under its port, [] where nothing listens', async () => {
    await using first = await childListener('127.0.0.1');
    await using second = await childListener('127.0.0.1');
    await using probe = await listen('127.0.0.1');
    const free = (probe.address() as { port: number }).port;
    await probe[Symbol.asyncDispose]();
    const holders = await portHoldersOf(new Set([first.port, second.port, free]));
    expect([...holders.keys()]).toEqual([first.port, second.port, free]);
    expect(holders.get(first.port)).toMatchObject([{ port: first.port, pid: first.child.pid }]);
    expect(holders.get(second.port)).toMatchObject([{ port: second.port, pid: second.child.pid }]);
    expect(holders.get(free)).toEqual([]);
    expect(holders.get(first.port)).toEqual(await portHolders(first.port));
  });

  it('validates every port, and the argument itself', async () => {
    await expect(portHoldersOf([80, 0])).rejects.toMatchObject({ code: 'EINVALIDPORT' });
    await expect(portHoldersOf(8765 as unknown as number[])).rejects.toMatchObject({
      code: 'EINVALIDOPTION',
    });
    expect(await portHoldersOf([])).toEqual(new Map());
  });
});

describe('where the holders cannot be known', () => {
  it('picks its source by what exists: /proc/net/tcp on Linux, nothing where /proc is hidden', () => {
    if (process.platform === 'linux') expect(portHolderSource()).toBe(procMounted ? 'proc' : 'none');
  });

  it('reports a busy port as [] (holder unknown), never an error', async (context) => {
    if (portHolderSource() !== 'none') context.skip('this machine has a source of holders');
    await using server = await listen('127.0.0.1');
    const port = (server.address() as { port: number }).port;
    expect(await portHolders(port)).toEqual([]);
    expect(await portHoldersOf([port, port + 1])).toEqual(
      new Map([
        [port, []],
        [port + 1, []],
      ]),
    );
  });
});
