import {
  checkBoolean,
  checkFraction,
  checkFunction,
  checkMs,
  checkObject,
  checkOptionalFunction,
  checkSignal,
} from './options.js';
import { describeError, warn } from './warn.js';

/**
 * One beat. It receives a signal that aborts when the heartbeat stops, so a slow beat can give up early.
 * It may return a promise; the next beat is scheduled only once it settles.
 */
export type Beat = (signal: AbortSignal) => unknown;

/** Options for {@link startHeartbeat}. */
export interface HeartbeatOptions {
  /** Wait between the end of one beat and the start of the next, in ms (positive integer). */
  readonly intervalMs: number;
  /**
   * Receives what a beat threw or rejected with. Default: one warning line on stderr.
   * If it throws itself, that error is written to stderr too; it never escapes.
   */
  readonly onError?: (error: unknown) => void;
  /** Beat once right away instead of waiting `intervalMs` first. Default `false`. */
  readonly immediate?: boolean;
  /**
   * Spread processes that start together: each wait is drawn uniformly from
   * `[intervalMs × (1 − jitter), intervalMs]`, so `intervalMs` stays an upper bound. Default `0`.
   */
  readonly jitter?: number;
  /** Stops the heartbeat when aborted (as {@link Heartbeat.stop} does). */
  readonly signal?: AbortSignal;
}

/** A running heartbeat. Dispose it (`await using`) to stop it and wait for a beat in flight. */
export interface Heartbeat extends AsyncDisposable {
  /** Stops scheduling beats and aborts the signal given to a beat in flight. Idempotent. */
  stop(): void;
  /** Resolves once the heartbeat is stopped and no beat is in flight. Never rejects. */
  readonly stopped: Promise<void>;
  /** `true` until {@link Heartbeat.stop} is called or the `signal` option aborts. */
  readonly running: boolean;
  /**
   * Beats now and restarts the wait after it. If a beat is already in flight, waits for that one
   * instead of starting another. Resolves once the beat settled (errors go to `onError`); does nothing
   * once stopped.
   */
  beatNow(): Promise<void>;
}

function defaultOnError(error: unknown): void {
  warn(`heartbeat beat failed: ${describeError(error)}`);
}

/**
 * Calls `beat` every `intervalMs` until stopped. Beats never overlap: the next wait starts only when the
 * previous beat has settled, so a slow beat delays the next instead of stacking. Errors, thrown or
 * rejected, go to `onError` and never become an unhandled rejection. Its timer is unref'd: a heartbeat
 * never keeps the process alive by itself.
 *
 * @example
 * ```ts source="./index.examples.ts#startHeartbeat"
 * const hb = startHeartbeat(() => registry.heartbeat(id), { intervalMs: 30_000 });
 * // later
 * hb.stop();
 * await hb.stopped;
 * ```
 */
export function startHeartbeat(beat: Beat, options: HeartbeatOptions): Heartbeat {
  checkFunction<Beat>('beat', beat);
  const raw = checkObject('options', options);
  const intervalMs = checkMs('intervalMs', raw.intervalMs);
  const onError = checkOptionalFunction<(error: unknown) => void>('onError', raw.onError) ?? defaultOnError;
  const immediate = checkBoolean('immediate', raw.immediate, false);
  const jitter = checkFraction('jitter', raw.jitter, 0);
  const signal = checkSignal('signal', raw.signal);

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  let running = true;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });

  const report = (error: unknown): void => {
    try {
      onError(error);
    } catch (handlerError) {
      warn(`heartbeat onError threw: ${describeError(handlerError)} (beat error: ${describeError(error)})`);
    }
  };

  const delay = (): number => Math.max(1, Math.round(intervalMs * (1 - jitter * Math.random())));

  const schedule = (): void => {
    if (!running) return;
    timer = setTimeout(() => {
      timer = undefined;
      void runBeat();
    }, delay());
    timer.unref?.();
  };

  const runBeat = (): Promise<void> => {
    if (inFlight) return inFlight;
    const current = (async () => {
      try {
        // Inside the async function, so a synchronous throw becomes a caught rejection too.
        await beat(controller.signal);
      } catch (error) {
        report(error);
      }
    })().then(() => {
      inFlight = undefined;
      if (running) schedule();
      else resolveStopped();
    });
    inFlight = current;
    return current;
  };

  const stop = (): void => {
    if (!running) return;
    running = false;
    signal?.removeEventListener('abort', stop);
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    controller.abort(new Error('heartbeat stopped'));
    if (!inFlight) resolveStopped();
  };

  const beatNow = (): Promise<void> => {
    if (!running) return Promise.resolve();
    if (inFlight) return inFlight;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    return runBeat();
  };

  if (signal?.aborted) {
    stop();
  } else {
    signal?.addEventListener('abort', stop, { once: true });
    if (immediate) void runBeat();
    else schedule();
  }

  return {
    stop,
    stopped,
    get running() {
      return running;
    },
    beatNow,
    async [Symbol.asyncDispose]() {
      stop();
      await stopped;
    },
  };
}
