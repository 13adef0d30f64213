import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeartbeatError } from './errors.js';
import type { ShutdownReason } from './run-cleanup.js';
import type { ShutdownOptions } from './shutdown.js';

// Loaded lazily so the first test can prove that importing installs nothing.
type ShutdownModule = typeof import('./shutdown.js');
let mod: ShutdownModule | undefined;
const offs: Array<() => void> = [];

function hooks(): Record<string, unknown> {
  return {
    SIGINT: process.listenerCount('SIGINT'),
    SIGTERM: process.listenerCount('SIGTERM'),
    SIGHUP: process.listenerCount('SIGHUP'),
    beforeExit: process.listenerCount('beforeExit'),
    emit: process.emit,
  };
}

async function load(): Promise<ShutdownModule> {
  mod ??= await import('./shutdown.js');
  return mod;
}

async function register(cleanup: (reason: ShutdownReason) => unknown, options?: ShutdownOptions) {
  const off = (await load()).onShutdown(cleanup, options);
  offs.push(off);
  return off;
}

afterEach(() => {
  for (const off of offs.splice(0)) off();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('onShutdown hooks', () => {
  it('installs nothing at import time, hooks on first registration, unhooks with the last', async () => {
    const before = hooks();
    const { onShutdown } = await load();
    expect(hooks()).toEqual(before);

    const offA = onShutdown(() => {});
    const installed = hooks();
    // signal-exit's listener, and ours that runs the cleanups even when the app listens too.
    expect(installed.SIGTERM).toBe((before.SIGTERM as number) + 2);
    expect(installed.SIGINT).toBe((before.SIGINT as number) + 2);
    expect(installed.SIGHUP).toBe((before.SIGHUP as number) + 2);
    expect(installed.beforeExit).toBe((before.beforeExit as number) + 1);
    expect(installed.emit).not.toBe(before.emit);

    const offB = onShutdown(() => {});
    expect(hooks()).toEqual(installed);
    offA();
    offA();
    expect(hooks()).toEqual(installed);
    offB();
    expect(hooks()).toEqual(before);
  });

  it('validates its options and names the bad one', async () => {
    const { onShutdown } = await load();
    const before = hooks();
    const bad: Array<[string, unknown]> = [
      ['timeoutMs', 0],
      ['timeoutMs', 1.5],
      ['timeoutMs', Number.POSITIVE_INFINITY],
      ['timeoutMs', '5000'],
      ['sync', 1],
      ['onError', true],
    ];
    for (const [option, value] of bad) {
      const call = () => onShutdown(() => {}, { [option]: value } as ShutdownOptions);
      expect(call).toThrow(HeartbeatError);
      expect(call).toThrow(`option ${option}:`);
    }
    expect(() => onShutdown(42 as never)).toThrow(/option cleanup/);
    expect(() => onShutdown(() => {}, 'fast' as never)).toThrow(/option options/);
    expect(hooks()).toEqual(before); // a rejected registration installs nothing
  });
});

describe('shutdown()', () => {
  it('runs every cleanup once with the reason, then removes the hooks', async () => {
    const before = hooks();
    const calls: string[] = [];
    await register(async (reason) => {
      await new Promise((resolve) => setImmediate(resolve));
      calls.push(`async:${reason}`);
    });
    await register((reason) => void calls.push(`sync:${reason}`), { sync: true });
    const { shutdown } = await load();
    await shutdown('SIGTERM');
    await shutdown();
    expect(calls.sort()).toEqual(['async:SIGTERM', 'sync:SIGTERM']);
    expect(hooks()).toEqual(before);
  });

  it('waits for cleanups already running when called again', async () => {
    let finish!: () => void;
    let finished = false;
    await register(
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            finished = true;
            resolve();
          };
        }),
    );
    const { shutdown } = await load();
    const first = shutdown('manual');
    const second = shutdown('SIGINT').then(() => finished);
    finish();
    await first;
    expect(await second).toBe(true);
  });

  it('sends throws and rejections to onError and runs the other cleanups anyway', async () => {
    const errors: Array<[unknown, ShutdownReason]> = [];
    const onError = (error: unknown, reason: ShutdownReason): void => void errors.push([error, reason]);
    const thrown = new Error('thrown');
    const rejected = new Error('rejected');
    const ran = vi.fn();
    await register(
      () => {
        throw thrown;
      },
      { onError },
    );
    await register(() => Promise.reject(rejected), { onError });
    await register(ran);
    await (await load()).shutdown('SIGHUP');
    expect(errors).toEqual([
      [thrown, 'SIGHUP'],
      [rejected, 'SIGHUP'],
    ]);
    expect(ran).toHaveBeenCalledWith('SIGHUP');
  });

  it('warns on stderr by default', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await register(() => Promise.reject(new Error('registry locked')));
    await (await load()).shutdown('SIGTERM');
    expect(write.mock.calls.map(([chunk]) => String(chunk))).toEqual([
      '[heartbeat] shutdown cleanup failed on SIGTERM: Error: registry locked\n',
    ]);
  });

  it('gives up on a hung cleanup after timeoutMs with ESHUTDOWNTIMEOUT', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const errors: unknown[] = [];
    await register(() => new Promise(() => {}), { timeoutMs: 1_000, onError: (error) => errors.push(error) });
    let done = false;
    const running = (await load()).shutdown('SIGTERM').then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await running;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HeartbeatError);
    expect(errors[0]).toMatchObject({ code: 'ESHUTDOWNTIMEOUT' });
    expect((errors[0] as Error).message).toContain('within 1000 ms on SIGTERM');
  });

  it('does not run an unregistered cleanup', async () => {
    const cleanup = vi.fn();
    const off = await register(cleanup);
    off();
    await (await load()).shutdown();
    expect(cleanup).not.toHaveBeenCalled();
  });
});
