import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { LineBuffer, type LineMatcher, type WaitForLineOptions } from './lines.js';

const repoTsconfig = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
const tsxLoader = createRequire(import.meta.url).resolve('tsx');

/**
 * Node arguments that run `script`: TypeScript through tsx with `@ports/*` mapped to source,
 * JavaScript as is. Useful with `spawnSync` or `execFile` where {@link spawnFixture} does not fit.
 */
export function nodeArgsFor(script: string): string[] {
  return /\.[mc]?ts$/.test(script) ? ['--import', tsxLoader, script] : [script];
}

/** Environment that makes tsx resolve `@ports/*` to the packages' source. */
export function fixtureEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, TSX_TSCONFIG_PATH: repoTsconfig, ...extra };
}

/** How a fixture process ended. */
export interface FixtureExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Options for {@link spawnFixture}. */
export interface SpawnFixtureOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Start the child as the leader of a new process group; dispose then kills the whole group. */
  readonly detached?: boolean;
  /** What to connect to the child's stdin (default `'pipe'`). */
  readonly stdin?: 'pipe' | 'ignore' | 'inherit';
  /** Run the child as this user (root only): for tests of what an unprivileged user may not do. */
  readonly uid?: number;
  /** Run the child with this group (root only). */
  readonly gid?: number;
}

/** A running fixture. Dispose it (`await using`) to kill it and wait for its exit. */
export interface FixtureProcess extends AsyncDisposable {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every stdout line so far, and a way to wait for one. */
  readonly stdout: LineBuffer;
  /** Every stderr line so far, and a way to wait for one. */
  readonly stderr: LineBuffer;
  /** Waits for a stderr line matching `matcher` that no earlier wait consumed. */
  waitForStderrLine(matcher: LineMatcher, options?: WaitForLineOptions): Promise<string>;
  /** Waits for a stdout line matching `matcher` that no earlier wait consumed. */
  waitForStdoutLine(matcher: LineMatcher, options?: WaitForLineOptions): Promise<string>;
  /** Resolves when the process has exited (immediately if it already has). */
  exited(options?: { readonly timeoutMs?: number }): Promise<FixtureExit>;
  /** Sends `signal` (default SIGKILL) to the process, or to its group when detached. */
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Spawns `node <script> ...args` with piped stdio. TypeScript fixtures run through tsx.
 *
 * @example
 * ```ts
 * await using holder = spawnFixture(fixture('hold-lock.ts'), [lockPath]);
 * await holder.waitForStderrLine('locked');
 * holder.kill('SIGKILL');
 * ```
 */
export function spawnFixture(
  script: string,
  args: readonly string[] = [],
  options: SpawnFixtureOptions = {},
): FixtureProcess {
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: fixtureEnv(options.env),
    detached: options.detached ?? false,
    stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  };
  const child = spawn(process.execPath, [...nodeArgsFor(script), ...args], spawnOptions);
  if (child.pid === undefined) throw new Error(`could not spawn fixture ${script}`);
  const pid = child.pid;
  const stdout = new LineBuffer(child.stdout);
  const stderr = new LineBuffer(child.stderr);
  const exitPromise: Promise<FixtureExit> =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
      : once(child, 'exit').then(([code, signal]) => ({ code, signal }) as FixtureExit);
  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;

  const kill = (signal: NodeJS.Signals = 'SIGKILL'): void => {
    try {
      if (options.detached) process.kill(-pid, signal);
      else child.kill(signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };

  const exited = async ({ timeoutMs = 10_000 } = {}): Promise<FixtureExit> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`fixture ${script} (pid ${pid}) still running after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([exitPromise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    child,
    pid,
    stdout,
    stderr,
    waitForStderrLine: (matcher, waitOptions) => stderr.waitFor(matcher, waitOptions),
    waitForStdoutLine: (matcher, waitOptions) => stdout.waitFor(matcher, waitOptions),
    exited,
    kill,
    async [Symbol.asyncDispose]() {
      if (options.detached) kill('SIGKILL');
      else if (!hasExited()) kill('SIGKILL');
      await exitPromise;
      child.stdin?.destroy();
    },
  };
}
