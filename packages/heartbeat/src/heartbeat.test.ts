import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeartbeatError } from './errors.js';
import { type HeartbeatOptions, startHeartbeat } from './heartbeat.js';

/** Resolves after the real event loop turned: long enough for Node to report an unhandled rejection. */
const realTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('startHeartbeat options', () => {
  const beat = (): void => {};
  const cases: Array<[string, unknown]> = [
    ['intervalMs', 0],
    ['intervalMs', -5],
    ['intervalMs', 1.5],
    ['intervalMs', Number.NaN],
    ['intervalMs', Number.POSITIVE_INFINITY],
    ['intervalMs', 2 ** 31],
    ['intervalMs', '1000'],
    ['intervalMs', undefined],
    ['jitter', 1],
    ['jitter', -0.1],
    ['immediate', 'yes'],
    ['onError', 'log'],
    ['signal', {}],
  ];
  it.each(cases)('rejects %s = %s with an error naming the option', (option, value) => {
    const options = { intervalMs: 1000, [option]: value } as unknown as HeartbeatOptions;
    const error = (() => {
      try {
        startHeartbeat(beat, options);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(HeartbeatError);
    expect(error).toMatchObject({ code: 'EINVALIDOPTION', name: 'HeartbeatError' });
    expect((error as Error).message).toContain(`option ${option}:`);
  });

  it('rejects a beat that is not a function and a missing options object', () => {
    expect(() => startHeartbeat('beat' as never, { intervalMs: 10 })).toThrow(/option beat/);
    expect(() => startHeartbeat(beat, null as never)).toThrow(/option options/);
  });
});

describe('startHeartbeat', () => {
  beforeEach(() => {
    // setImmediate stays real so realTurn() lets Node run its unhandled-rejection check.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('waits intervalMs before the first beat, then beats every intervalMs', async () => {
    const beat = vi.fn();
    await using _hb = startHeartbeat(beat, { intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(99);
    expect(beat).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(beat).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(beat).toHaveBeenCalledTimes(4);
  });

  it('beats at once with immediate', async () => {
    const beat = vi.fn();
    await using _hb = startHeartbeat(beat, { intervalMs: 100, immediate: true });
    expect(beat).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(beat).toHaveBeenCalledTimes(2);
  });

  it('never overlaps beats: a slow beat delays the next one instead of stacking', async () => {
    let active = 0;
    let maxActive = 0;
    const starts: number[] = [];
    const ends: number[] = [];
    const beat = async (): Promise<void> => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      starts.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 250));
      ends.push(Date.now());
      active -= 1;
    };
    const hb = startHeartbeat(beat, { intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(2_000);
    hb.stop();
    // The beat in flight waits on a fake timer: let it finish.
    await vi.advanceTimersByTimeAsync(250);
    await hb.stopped;
    expect(maxActive).toBe(1);
    expect(starts.length).toBeGreaterThanOrEqual(4);
    // Every wait starts when the previous beat ends.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - ends[i - 1]!).toBe(100);
  });

  it('sends sync throws and rejections to onError and keeps beating', async () => {
    const errors: unknown[] = [];
    const thrown = new Error('sync failure');
    const rejected = new Error('async failure');
    let n = 0;
    const beat = (): Promise<void> | undefined => {
      n += 1;
      if (n % 2 === 1) throw thrown;
      return Promise.reject(rejected);
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      await using _hb = startHeartbeat(beat, { intervalMs: 10, onError: (error) => errors.push(error) });
      await vi.advanceTimersByTimeAsync(40);
      await realTurn();
      await realTurn();
      expect(errors).toEqual([thrown, rejected, thrown, rejected]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('by default writes one warning line per failed beat to stderr, never an unhandled rejection', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      await using _hb = startHeartbeat(() => Promise.reject(new Error('lock timeout')), { intervalMs: 10 });
      await vi.advanceTimersByTimeAsync(20);
      await realTurn();
      await realTurn();
      const lines = write.mock.calls.map(([chunk]) => String(chunk));
      expect(lines).toEqual([
        '[heartbeat] heartbeat beat failed: Error: lock timeout\n',
        '[heartbeat] heartbeat beat failed: Error: lock timeout\n',
      ]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('contains an onError that throws', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const beat = vi.fn(() => {
      throw new Error('beat');
    });
    const onError = (): void => {
      throw new Error('handler');
    };
    await using _hb = startHeartbeat(beat, { intervalMs: 10, onError });
    await vi.advanceTimersByTimeAsync(20);
    expect(beat).toHaveBeenCalledTimes(2);
    expect(String(write.mock.calls[0]?.[0])).toMatch(
      /onError threw: Error: handler .*beat error: Error: beat/,
    );
  });

  it('stop() stops beating, is idempotent, and resolves stopped', async () => {
    const beat = vi.fn();
    const hb = startHeartbeat(beat, { intervalMs: 10 });
    await vi.advanceTimersByTimeAsync(10);
    expect(beat).toHaveBeenCalledTimes(1);
    hb.stop();
    hb.stop();
    expect(hb.running).toBe(false);
    await hb.stopped;
    await vi.advanceTimersByTimeAsync(100);
    expect(beat).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stopped waits for the beat in flight, whose signal is aborted', async () => {
    const release = deferred();
    let beatSignal: AbortSignal | undefined;
    const hb = startHeartbeat(
      (signal) => {
        beatSignal = signal;
        return release.promise;
      },
      { intervalMs: 10, immediate: true },
    );
    let done = false;
    const disposal = hb[Symbol.asyncDispose]().then(() => {
      done = true;
    });
    await realTurn();
    expect(beatSignal?.aborted).toBe(true);
    expect(done).toBe(false);
    release.resolve();
    await disposal;
    expect(done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops when its signal aborts, and never beats with an aborted signal', async () => {
    const beat = vi.fn();
    const controller = new AbortController();
    const hb = startHeartbeat(beat, { intervalMs: 10, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await hb.stopped;
    await vi.advanceTimersByTimeAsync(50);
    expect(beat).toHaveBeenCalledTimes(1);

    const late = startHeartbeat(beat, { intervalMs: 10, immediate: true, signal: controller.signal });
    expect(late.running).toBe(false);
    await late.stopped;
    expect(beat).toHaveBeenCalledTimes(1);
  });

  it('beatNow() beats at once, restarts the wait, and joins a beat in flight', async () => {
    const release = deferred();
    let calls = 0;
    const beat = (): Promise<void> | undefined => {
      calls += 1;
      return calls === 2 ? release.promise : undefined;
    };
    await using hb = startHeartbeat(beat, { intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(60);
    await hb.beatNow();
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2); // the slow one, in flight
    const joined = hb.beatNow();
    expect(calls).toBe(2);
    release.resolve();
    await joined;
    hb.stop();
    await hb.beatNow();
    expect(calls).toBe(2);
  });

  it('draws each wait from [intervalMs × (1 − jitter), intervalMs]', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const beat = vi.fn();
    await using _hb = startHeartbeat(beat, { intervalMs: 1000, jitter: 0.2 });
    await vi.advanceTimersByTimeAsync(899);
    expect(beat).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(beat).toHaveBeenCalledTimes(1);
  });
});

describe('startHeartbeat timers', () => {
  it("unref's its timer so it never keeps the process alive", async () => {
    const timers: NodeJS.Timeout[] = [];
    const original = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      ...args: Parameters<typeof setTimeout>
    ) => {
      const timer = original(...args);
      timers.push(timer);
      return timer;
    }) as typeof setTimeout);
    try {
      await using _hb = startHeartbeat(() => {}, { intervalMs: 60_000 });
      expect(timers).toHaveLength(1);
      expect(timers[0]?.hasRef()).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });
});
