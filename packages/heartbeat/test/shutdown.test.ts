import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTempDir, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const appScript = fixture('shutdown-app.ts');

/**
 * The fixture app, started and ready, writing its marker file in a temp dir; both go away on dispose.
 * `env` is added to `MARKER`.
 */
async function startApp(env: Record<string, string> = {}) {
  const dir = await createTempDir();
  const marker = dir.join('marker');
  const child = spawnFixture(appScript, [], { env: { MARKER: marker, ...env } });
  const dispose = async (): Promise<void> => {
    await child[Symbol.asyncDispose]();
    await dir[Symbol.asyncDispose]();
  };
  try {
    await child.waitForStderrLine('ready');
  } catch (error) {
    await dispose();
    throw error;
  }
  return { child, markerLines: () => markerLines(marker), [Symbol.asyncDispose]: dispose };
}

async function markerLines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter(Boolean).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

describe('onShutdown in a real process', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('on %s runs each cleanup exactly once, then exits with %i', async (signal, code) => {
    await using app = await startApp({ SYNC: '1' });
    const { child } = app;
    child.kill(signal);
    expect(await child.exited()).toEqual({ code, signal: null });
    // The async cleanup's write finished before the exit; neither ran again on the exit event.
    expect(await app.markerLines()).toEqual([`async:${signal}`, `sync:${signal}`]);
  });

  it('on process.exit() runs the sync cleanups, keeps the exit code, and says which async ones could not run', async () => {
    await using app = await startApp({ SYNC: '1' });
    const { child } = app;
    child.child.stdin?.write('exit 3\n');
    expect(await child.exited()).toEqual({ code: 3, signal: null });
    expect(await app.markerLines()).toEqual(['sync:exit']);
    expect(child.stderr.text).toMatch(/\[heartbeat\] 1 async shutdown cleanup\(s\) did not run/);
  });

  it('when stdin closes and the event loop runs dry, runs every cleanup once and exits 0', async () => {
    await using app = await startApp({ SYNC: '1' });
    const { child } = app;
    child.child.stdin?.end();
    expect(await child.exited()).toEqual({ code: 0, signal: null });
    expect(await app.markerLines()).toEqual(['async:beforeExit', 'sync:beforeExit']);
  });

  it('cuts off a hung cleanup after timeoutMs on a signal and still exits with the signal code', async () => {
    await using app = await startApp({ HANG: '1', TIMEOUT_MS: '300' });
    const { child } = app;
    child.kill('SIGTERM');
    expect(await child.exited()).toEqual({ code: 143, signal: null });
    expect(await app.markerLines()).toEqual(['hang-started:SIGTERM']);
    expect(child.stderr.text).toContain('did not finish within 300 ms on SIGTERM');
  });

  it('cuts off a hung cleanup after timeoutMs when the event loop ran dry, and exits', async () => {
    await using app = await startApp({ HANG: '1', TIMEOUT_MS: '300' });
    const { child } = app;
    child.child.stdin?.end();
    expect(await child.exited()).toEqual({ code: 0, signal: null });
    expect(await app.markerLines()).toEqual(['hang-started:beforeExit']);
    expect(child.stderr.text).toContain('did not finish within 300 ms on beforeExit');
  });

  it('lets a second SIGINT end a slow shutdown at once, as it would without cleanups', async () => {
    await using app = await startApp({ HANG: '1', TIMEOUT_MS: '30000' });
    const { child } = app;
    child.kill('SIGINT');
    await child.waitForStderrLine('hang started');
    child.kill('SIGINT');
    // Killed by the signal itself, not the exit with code 130 that waits for the hung cleanup.
    expect(await child.exited()).toEqual({ code: null, signal: 'SIGINT' });
  });

  it('lets a SIGINT end a slow shutdown that another signal started', async () => {
    await using app = await startApp({ HANG: '1', TIMEOUT_MS: '30000' });
    const { child } = app;
    child.kill('SIGUSR2');
    await child.waitForStderrLine('hang started');
    child.kill('SIGINT');
    expect(await child.exited()).toEqual({ code: null, signal: 'SIGINT' });
  });

  it('runs a sync cleanup registered during a signal shutdown on the exit that ends it', async () => {
    await using app = await startApp({ LATE_SYNC: '1' });
    const { child } = app;
    child.kill('SIGINT');
    expect(await child.exited()).toEqual({ code: 130, signal: null });
    expect(await app.markerLines()).toEqual(['async:SIGINT', 'late-sync:exit']);
  });

  it('with two loaded copies of the module, runs the cleanups of both, then exits 143', async () => {
    await using app = await startApp({ SECOND_COPY: '1' });
    const { child } = app;
    child.kill('SIGTERM');
    expect(await child.exited()).toEqual({ code: 143, signal: null });
    expect(await app.markerLines()).toEqual(['async:SIGTERM', 'copy2:SIGTERM']);
  });

  it('still runs the cleanups and exits 140 on SIGUSR2, through signal-exit', async () => {
    await using app = await startApp({ SYNC: '1' });
    const { child } = app;
    child.kill('SIGUSR2');
    expect(await child.exited()).toEqual({ code: 140, signal: null });
    expect(await app.markerLines()).toEqual(['async:SIGUSR2', 'sync:SIGUSR2']);
  });

  it('on a signal the app listens for, runs the cleanups once but leaves the exit to the app', async () => {
    await using app = await startApp({ OWN_SIGTERM: '1', SYNC: '1' });
    const { child } = app;
    child.kill('SIGTERM');
    await child.waitForStderrLine('app: got SIGTERM');
    // The cleanups ran (the async one is awaited by the app's shutdown() below), and the process lives on.
    child.child.stdin?.write('finish\n');
    await child.waitForStderrLine('app: cleaned up');
    expect(await app.markerLines()).toEqual(['async:SIGTERM', 'sync:SIGTERM']);
    child.child.stdin?.write('ping\n');
    await child.waitForStderrLine('pong');
    child.child.stdin?.write('exit 0\n');
    expect(await child.exited()).toEqual({ code: 0, signal: null });
    // Nothing ran a second time: not on shutdown(), not on the exit event.
    expect(await app.markerLines()).toEqual(['async:SIGTERM', 'sync:SIGTERM']);
    expect(child.stderr.text).not.toContain('did not run');
  });

  it("leaves the exit to an app's process.once handler added before any cleanup", async () => {
    await using app = await startApp({ OWN_SIGTERM_ONCE: '1' });
    const { child } = app;
    child.kill('SIGTERM');
    expect(await child.exited()).toEqual({ code: 7, signal: null });
    expect(child.stderr.text).toContain('app: exiting 7');
    expect(await app.markerLines()).toEqual(['async:SIGTERM']);
  });

  it("an app's own handler that awaits shutdown() waits for the cleanups of every loaded copy", async () => {
    await using app = await startApp({ OWN_SIGTERM: '1', SECOND_COPY: '1' });
    const { child } = app;
    child.kill('SIGTERM');
    await child.waitForStderrLine('app: got SIGTERM');
    child.child.stdin?.write('finish\n');
    await child.waitForStderrLine('app: cleaned up');
    // The second copy's cleanup takes 300 ms: shutdown() resolved only after it.
    expect(await app.markerLines()).toEqual(['async:SIGTERM', 'copy2:SIGTERM']);
  });
});

describe('startHeartbeat in a real process', () => {
  it('survives a beat that throws or rejects every time, and does not keep the process alive', async () => {
    await using child = spawnFixture(fixture('throwing-heartbeat.ts'));
    await child.waitForStderrLine('ready');
    for (const kind of ['sync', 'async', 'sync', 'async']) {
      await child.waitForStderrLine(
        new RegExp(`^\\[heartbeat\\] heartbeat beat failed: Error: ${kind} failure`),
      );
    }
    child.child.stdin?.write('ping\n');
    await child.waitForStderrLine(/^pong after \d+ beats$/);
    // The heartbeat was never stopped: its unref'd timer must not hold the process once stdin closes.
    child.child.stdin?.end();
    expect(await child.exited()).toEqual({ code: 0, signal: null });
    expect(child.stderr.text).not.toMatch(/Unhandled|unhandled/);
  });

  it('survives a stderr whose reader went away (EPIPE on every warning)', async () => {
    await using child = spawnFixture(fixture('throwing-heartbeat.ts'));
    // The fixture's own last write to stderr; from here on only the heartbeat's warnings go there.
    await child.waitForStderrLine('ready');
    child.child.stderr?.destroy();
    // Beats fail every 5 ms, each warning on the closed pipe, until stdin closes.
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.child.stdin?.end();
    expect(await child.exited()).toEqual({ code: 0, signal: null });
  });
});
