import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { openSockets } from '../test/helpers.js';
import { bindOnce, classifyBindError } from './bind.js';
import { findFreePort } from './find-free-port.js';
import { isPortInUse } from './is-port-in-use.js';
import { DUAL_STACK } from './plan.js';
import { portHolders } from './port-holders.js';

async function listen(host: string, port = 0): Promise<Server & AsyncDisposable> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, resolve);
  });
  return Object.assign(server, {
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

async function freshPort(): Promise<number> {
  await using server = await listen('::');
  return (server.address() as { port: number }).port;
}

function abortAfterTicks(controller: AbortController, ticks: number): void {
  if (ticks === 0) controller.abort(new Error('stop'));
  else process.nextTick(() => abortAfterTicks(controller, ticks - 1));
}

describe('classifyBindError', () => {
  it('calls EADDRINUSE and EACCES busy, missing families unsupported, anything else unknown', () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    expect(classifyBindError(error('EADDRINUSE'))).toBe('busy');
    expect(classifyBindError(error('EACCES'))).toBe('busy');
    expect(classifyBindError(error('EAFNOSUPPORT'))).toBe('unsupported');
    expect(classifyBindError(error('EADDRNOTAVAIL'))).toBe('unsupported');
    expect(classifyBindError(error('EMFILE'))).toBeUndefined();
    expect(classifyBindError(new Error('no code'))).toBeUndefined();
  });
});

describe('bindOnce', () => {
  it('binds the dual-stack wildcard without a host lookup, and still sees IPv4 and IPv6 listeners', async () => {
    // Node looks up any host it is given (a process's first lookup costs ~4 ms, inside callers' locks).
    const dns = createRequire(import.meta.url)('node:dns') as typeof import('node:dns');
    const free = await freshPort();
    await using v4 = await listen('127.0.0.1');
    await using v6 = await listen('::1');
    await using any4 = await listen('0.0.0.0');
    const lookup = vi.spyOn(dns, 'lookup');
    try {
      expect(await bindOnce(free, DUAL_STACK)).toBe('free');
      for (const holder of [v4, v6, any4]) {
        expect(await bindOnce((holder.address() as { port: number }).port, DUAL_STACK)).toBe('busy');
      }
      expect(lookup).not.toHaveBeenCalled();
    } finally {
      lookup.mockRestore();
    }
  });

  it('reports an unbindable address as a ProbeError with the system error as cause', async () => {
    // A link-local address needs a scope id: EINVAL says nothing about the port.
    await expect(bindOnce(await freshPort(), { host: 'fe80::1' })).rejects.toMatchObject({
      name: 'ProbeError',
      code: 'EPROBEFAILED',
      cause: expect.objectContaining({ code: 'EINVAL' }),
    });
  });

  it('holds no socket at the moment it settles, whenever the abort lands', async () => {
    const port = await freshPort();
    // 0 ticks: before Node binds; later ticks: after the bind, before or after 'listening'.
    for (let ticks = 0; ticks < 6; ticks++) {
      const before = openSockets();
      const controller = new AbortController();
      const probing = bindOnce(port, DUAL_STACK, controller.signal);
      abortAfterTicks(controller, ticks);
      const outcome = await probing.then(
        (value) => value,
        (error: Error) => error.message,
      );
      expect([...openSockets()].filter((socket) => !before.has(socket))).toEqual([]);
      expect(['stop', 'free']).toContain(outcome);
    }
    expect(await portHolders(port)).toEqual([]);
    await using again = await listen('::', port);
    expect((again.address() as { port: number }).port).toBe(port);
  });

  it('rejects with the abort reason and raises nothing when aborted while the bind fails', async () => {
    await using holder = await listen('::');
    const port = (holder.address() as { port: number }).port;
    const controller = new AbortController();
    const probing = bindOnce(port, DUAL_STACK, controller.signal);
    controller.abort(new Error('stop'));
    await expect(probing).rejects.toThrow('stop');
    // Let the bind error that Node emits on the next tick arrive: it must not be unhandled.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await isPortInUse(port)).toBe(true);
  });

  it('rejects at once with the reason of an already aborted signal', async () => {
    const reason = new Error('already');
    await expect(isPortInUse(await freshPort(), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(findFreePort({ range: [1024, 1030], signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
  });
});

describe('no socket outlives a probe', () => {
  it('holds no extra socket after hundreds of free, busy, failed and aborted probes', async () => {
    await using holder = await listen('::');
    const busy = (holder.address() as { port: number }).port;
    const free = await freshPort();
    const before = openSockets();
    for (let i = 0; i < 100; i++) {
      expect(await isPortInUse(free)).toBe(false);
      expect(await isPortInUse(busy)).toBe(true);
      expect(await isPortInUse(busy, { host: '127.0.0.1' })).toBe(true);
      await expect(bindOnce(free, { host: 'fe80::1' })).rejects.toMatchObject({ code: 'EPROBEFAILED' });
      const controller = new AbortController();
      const aborted = isPortInUse(i % 2 === 0 ? free : busy, { signal: controller.signal });
      // Abort on a later turn sometimes, so some aborts land before and some after the bind.
      if (i % 3 === 0) await Promise.resolve();
      controller.abort(new Error('stop'));
      await aborted.catch(() => undefined);
    }
    await new Promise((resolve) => setImmediate(resolve));
    const leaked = [...openSockets()].filter((socket) => !before.has(socket));
    expect(leaked).toEqual([]);
  });

  it('stops a range scan when aborted and leaves nothing open', async () => {
    const before = openSockets();
    const controller = new AbortController();
    const start = await freshPort();
    await using holder = await listen('::', start);
    const scanning = findFreePort({ range: [start, start], signal: controller.signal });
    controller.abort(new Error('stop scanning'));
    await expect(scanning).rejects.toThrow('stop scanning');
    await holder[Symbol.asyncDispose]();
    await new Promise((resolve) => setImmediate(resolve));
    expect([...openSockets()].filter((socket) => !before.has(socket))).toEqual([]);
  });
});
