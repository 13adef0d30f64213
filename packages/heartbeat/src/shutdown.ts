import { constants } from 'node:os';
import { onExit } from 'signal-exit';
import { checkBoolean, checkFunction, checkMs, checkObject, checkOptionalFunction } from './options.js';
import { type Cleanup, type Registration, runCleanup, type ShutdownReason } from './run-cleanup.js';
import { warn } from './warn.js';

/** Options for {@link onShutdown}. */
export interface ShutdownOptions {
  /** How long an async cleanup may take before the shutdown goes on without it, in ms. Default 5 000. */
  readonly timeoutMs?: number;
  /**
   * The cleanup is synchronous. Only synchronous cleanups can run on the final `exit` event
   * (`process.exit()`, a crash), so only those run there. Default `false`.
   */
  readonly sync?: boolean;
  /** Receives what the cleanup threw or rejected with, or its timeout. Default: a warning line on stderr. */
  readonly onError?: (error: unknown, reason: ShutdownReason) => void;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/** The set stored on `globalThis` under `Symbol.for(key)`, shared by every loaded copy of this module. */
function processWideSet<T>(key: string): Set<T> {
  const slots = globalThis as Record<symbol, unknown>;
  const symbol = Symbol.for(key);
  if (!(slots[symbol] instanceof Set)) slots[symbol] = new Set<T>();
  return slots[symbol] as Set<T>;
}

/** Registered and not run yet: each cleanup runs at most once. */
const pending = new Set<Registration>();
const running = new Set<Promise<boolean>>();
/** Cleanup runs of every loaded copy of this module: a signal exit waits for all of them, not just ours. */
const runsOfAllCopies = processWideSet<Promise<unknown>>('@ports/heartbeat cleanup runs');
let uninstall: (() => void) | undefined;

/**
 * The shutdown signals whose cleanups run even when the app listens for them too. For every other signal
 * that would end the process, signal-exit decides, and cleanups run only when the app left it to us.
 */
const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The signal listeners of every loaded copy of this module (an app may load both our ESM and CJS
 * builds, or two versions), kept process-wide: no copy may take another's listener for the app's own.
 */
const ourListeners = processWideSet<unknown>('@ports/heartbeat signal listeners');

/**
 * A signal started the exit. From then on a further signal gets its default action (a second Ctrl-C
 * ends a slow shutdown at once), and registrations made meanwhile still run on the final `exit` event.
 */
let exiting = false;

function install(): void {
  if (uninstall) return;
  const removeExitHook = onExit((_code, signal) => {
    if (signal === null) return onFinalExit();
    // A second signal while we exit: returning nothing lets signal-exit re-raise it, and its default
    // action ends the process.
    if (exiting) return;
    beginSignalExit(signal);
    // Tells signal-exit we handle it: it must not re-raise the signal before the cleanups ran.
    return true;
  });
  if (!exiting) addSignalListeners();
  process.on('beforeExit', onBeforeExit);
  uninstall = () => {
    uninstall = undefined;
    removeExitHook();
    removeSignalListeners();
    process.removeListener('beforeExit', onBeforeExit);
  };
}

function addSignalListeners(): void {
  // First in line: when ours runs, every other listener of the signal is still attached. An app's
  // `process.once` listener added before us would otherwise have removed itself already, and we
  // would take the app for one without its own handling and exit under it.
  for (const signal of SHUTDOWN_SIGNALS) process.prependListener(signal, onShutdownSignal);
  ourListeners.add(onShutdownSignal);
}

function removeSignalListeners(): void {
  for (const signal of SHUTDOWN_SIGNALS) process.removeListener(signal, onShutdownSignal);
  ourListeners.delete(onShutdownSignal);
}

/** How many of `signal`'s listeners belong to signal-exit (every loaded copy, v3 or v4), counted as it counts them. */
function signalExitListenerCount(): number {
  const holders = [
    (globalThis as Record<symbol, unknown>)[Symbol.for('signal-exit emitter')],
    (process as unknown as Record<string, unknown>).__signal_exit_emitter__,
  ];
  let count = 0;
  for (const holder of holders) {
    const value = (holder as { count?: unknown } | undefined)?.count;
    if (typeof value === 'number') count += value;
  }
  return count;
}

/** Whether someone besides us (any copy) and signal-exit listens for `signal`: then the app owns the exit. */
function appListensFor(signal: NodeJS.Signals): boolean {
  const others = process.listeners(signal).filter((listener) => !ourListeners.has(listener));
  return others.length - signalExitListenerCount() > 0;
}

function uninstallIfIdle(): void {
  if (pending.size === 0 && running.size === 0) uninstall?.();
}

/** Starts every pending cleanup and resolves, `true` if any timed out, once they and earlier runs settled. */
function runAll(reason: ShutdownReason): Promise<boolean> {
  for (const registration of [...pending]) {
    pending.delete(registration);
    const run = runCleanup(registration, reason);
    running.add(run);
    runsOfAllCopies.add(run);
    void run.then(() => {
      running.delete(run);
      runsOfAllCopies.delete(run);
    });
  }
  const all = Promise.all([...running]).then((timedOut) => timedOut.includes(true));
  // Removing hooks is deferred to here, never done inside signal-exit's own listener loop.
  void all.then(uninstallIfIdle);
  return all;
}

/**
 * SIGINT, SIGTERM, SIGHUP: the cleanups always run. The exit with the conventional code follows only when
 * the app has no listener of its own for the signal; otherwise the app decides when and how to exit.
 */
function onShutdownSignal(signal: NodeJS.Signals): void {
  if (exiting) return;
  if (appListensFor(signal)) {
    void runAll(signal);
    return;
  }
  beginSignalExit(signal);
}

/**
 * Runs the cleanups, then exits with 128 + the signal number. Our own signal listeners go right after
 * this emit (signal-exit's, if it runs later in the same emit, must still see them), so a further
 * signal finds only signal-exit's, which re-raises it: the default action ends the process at once.
 */
function beginSignalExit(signal: NodeJS.Signals): void {
  exiting = true;
  const code = 128 + (constants.signals[signal] ?? 0);
  // If the event loop runs dry before the cleanups finish, the process still reports the signal.
  process.exitCode = code;
  void runAll(signal).then(exitWhenAllCopiesAreDone(code));
  process.nextTick(removeSignalListeners);
}

/**
 * Exits once the cleanups of every loaded copy of this module settled. Other copies start theirs from
 * their own listener for the same signal, which runs in the same emit as ours: one macrotask later
 * they are all in the set.
 */
function exitWhenAllCopiesAreDone(code: number): () => void {
  return () =>
    setImmediate(() => {
      void Promise.all([...runsOfAllCopies]).then(() => process.exit(code));
    });
}

function onBeforeExit(code: number): void {
  if (pending.size === 0) return;
  void runAll('beforeExit').then((timedOut) => {
    // The app had finished; only a hung cleanup keeps the loop alive now.
    if (timedOut) process.exit(code);
  });
}

/** The final `exit` event: nothing asynchronous will ever complete, so only synchronous cleanups run. */
function onFinalExit(): void {
  let skipped = 0;
  for (const registration of [...pending]) {
    if (!registration.sync) {
      skipped += 1;
      continue;
    }
    pending.delete(registration);
    void runCleanup(registration, 'exit');
  }
  if (skipped > 0) {
    warn(
      `${skipped} async shutdown cleanup(s) did not run: the process exited through process.exit() or a crash, ` +
        'where only synchronous code runs; register synchronous ones with { sync: true } or await shutdown() before exiting',
    );
  }
}

/**
 * Registers `cleanup` to run once when the process shuts down: on SIGINT, SIGTERM, SIGHUP (and the other
 * signals that would end it), when the event loop runs dry (`beforeExit`), or on the final `exit` event
 * (synchronous cleanups only). Returns `off()`, which unregisters it.
 *
 * On SIGINT, SIGTERM and SIGHUP the cleanups run (async ones each bounded by `timeoutMs`); then, unless the
 * app listens for that signal itself, the process exits with 128 + the signal number (130 SIGINT,
 * 143 SIGTERM, 129 SIGHUP). If the app has its own listener, the app decides when to exit; its handler can
 * `await shutdown()` to wait for the cleanups already running. Other signals that would end the process
 * (SIGQUIT, SIGUSR2, …) run the cleanups and exit the same way only when the app does not listen for them.
 *
 * Nothing is installed at import time: hooks are added by the first registration and removed with the last.
 *
 * @example
 * ```ts source="./index.examples.ts#onShutdown"
 * const off = onShutdown(() => registry.release(id), { timeoutMs: 5_000 });
 * onShutdown(() => registry.releaseSync(id), { sync: true }); // also runs on process.exit()
 * ```
 */
export function onShutdown(cleanup: Cleanup, options: ShutdownOptions = {}): () => void {
  checkFunction<Cleanup>('cleanup', cleanup);
  const raw = checkObject('options', options);
  const registration: Registration = {
    cleanup,
    timeoutMs: raw.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : checkMs('timeoutMs', raw.timeoutMs),
    sync: checkBoolean('sync', raw.sync, false),
    onError: checkOptionalFunction('onError', raw.onError),
  };
  pending.add(registration);
  install();
  return () => {
    if (pending.delete(registration)) uninstallIfIdle();
  };
}

/**
 * Runs every registered cleanup that has not run yet, now, with `reason`, and resolves once all of them
 * (and any already running) settled or timed out. Never rejects and never exits the process. Use it from
 * your own signal handler, or before calling `process.exit()` yourself.
 *
 * @example
 * ```ts source="./index.examples.ts#shutdown"
 * process.on('SIGTERM', async () => {
 *   await server.close();
 *   await shutdown('SIGTERM');
 *   process.exit(0);
 * });
 * ```
 */
export async function shutdown(reason: ShutdownReason = 'manual'): Promise<void> {
  await runAll(reason);
  // Other loaded copies of this module start theirs from their own signal listeners: wait for those too.
  await Promise.all([...runsOfAllCopies]);
}
