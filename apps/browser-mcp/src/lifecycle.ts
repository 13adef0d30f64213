import type { Readable } from 'node:stream';

/** Why the server is stopping. */
export type ShutdownReason = 'stdin-end' | 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Options of {@link onShutdownRequest}. */
export interface ShutdownRequestOptions {
  /** The MCP client's end of the pipe (default `process.stdin`). */
  readonly stdin?: Readable;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A shutdown still running after this exits anyway; the `exit` fallback's releaseSync may add up to 2 s. */
export const HARD_EXIT_MS = 5_000;

/**
 * Calls `handler` once, the first time the MCP client goes away (stdin ends) or the process is
 * asked to stop (SIGINT, SIGTERM, SIGHUP). Returns a function that removes the listeners.
 */
export function onShutdownRequest(
  handler: (reason: ShutdownReason) => void,
  options: ShutdownRequestOptions = {},
): () => void {
  const stdin = options.stdin ?? process.stdin;
  let fired = false;
  const fire = (reason: ShutdownReason): void => {
    if (fired) return;
    fired = true;
    handler(reason);
  };
  const onStdinEnd = (): void => fire('stdin-end');
  const onSignal = (signal: NodeJS.Signals): void => fire(signal as ShutdownReason);
  stdin.on('end', onStdinEnd);
  stdin.on('close', onStdinEnd);
  // The client may have gone before these listeners were added (they come after the lazy load).
  if (stdin.readableEnded || stdin.destroyed) queueMicrotask(onStdinEnd);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return () => {
    stdin.off('end', onStdinEnd);
    stdin.off('close', onStdinEnd);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}

/**
 * Exits with `code` after `ms` unless the process ended before: the last resort when a close
 * hangs. Unref'd, so it never keeps an otherwise finished process alive.
 */
export function armHardExit(ms: number, code: number, log: (line: string) => void): void {
  setTimeout(() => {
    log(`shutdown did not finish within ${ms} ms; exiting anyway`);
    process.exit(code);
  }, ms).unref();
}

/** The first request to stop, watched from the very start of `serve`, before anything loads. */
export interface ShutdownWatch {
  /** Resolves with the first reason, also one that came before this was called. */
  next(): Promise<ShutdownReason>;
  /** Removes the listeners. */
  remove(): void;
}

/**
 * Watches for the client going away or a stop signal from the moment it is called. A request
 * that comes while nothing waits for it yet (the server is still starting: loading, or waiting for
 * the registry) arms the hard exit, since our listeners replaced Node's default exit on signals.
 */
export function watchShutdown(hardExitMs: number, log: (line: string) => void): ShutdownWatch {
  let requested: ShutdownReason | undefined;
  let waiter: ((reason: ShutdownReason) => void) | undefined;
  const remove = onShutdownRequest((reason) => {
    requested = reason;
    if (waiter) waiter(reason);
    else armHardExit(hardExitMs, 0, log);
  });
  return {
    next: () =>
      new Promise((resolve) => {
        if (requested !== undefined) resolve(requested);
        else waiter = resolve;
      }),
    remove,
  };
}
