import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnFixture } from './spawn-fixture.js';

const echoLines = fileURLToPath(new URL('./fixtures/echo-lines.ts', import.meta.url));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('spawnFixture', () => {
  it('runs a TypeScript fixture and waits for stderr lines, including ones already printed', async () => {
    await using child = spawnFixture(echoLines, ['first', 'second']);
    await child.waitForStderrLine('ready');
    // 'first' and 'second' arrived before 'ready' was consumed: waits go forward only.
    await expect(child.waitForStderrLine('first', { timeoutMs: 200 })).rejects.toThrow(/no line matching/);
    expect(child.stderr.lines).toEqual(['first', 'second', 'ready']);
  });

  it('matches with a regular expression and echoes stdin to stdout', async () => {
    await using child = spawnFixture(echoLines, []);
    await child.waitForStderrLine(/^rea/);
    child.child.stdin?.write('hello\n');
    expect(await child.waitForStdoutLine('hello')).toBe('hello');
    child.child.stdin?.end();
    expect(await child.exited()).toEqual({ code: 0, signal: null });
  });

  it('rejects with the output so far when no line arrives in time', async () => {
    await using child = spawnFixture(echoLines, ['only-line']);
    await child.waitForStderrLine('ready');
    await expect(child.waitForStderrLine('never', { timeoutMs: 100 })).rejects.toThrow(/only-line/);
  });

  it('rejects when the stream ends without a match', async () => {
    await using child = spawnFixture(echoLines, [], { env: { EXIT_CODE: '3' } });
    child.child.stdin?.end();
    await expect(child.waitForStderrLine('never')).rejects.toThrow(/stream ended/);
    expect((await child.exited()).code).toBe(3);
  });

  it('kills and reaps the child on dispose, even when the test body throws', async () => {
    let pid = 0;
    await expect(
      (async () => {
        await using child = spawnFixture(echoLines, []);
        pid = child.pid;
        await child.waitForStderrLine('ready');
        throw new Error('test failed');
      })(),
    ).rejects.toThrow('test failed');
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('reports the signal that ended the child', async () => {
    await using child = spawnFixture(echoLines, []);
    await child.waitForStderrLine('ready');
    child.kill('SIGTERM');
    expect(await child.exited()).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('aborts a wait through its signal', async () => {
    await using child = spawnFixture(echoLines, []);
    const controller = new AbortController();
    const waiting = child.waitForStderrLine('never', { signal: controller.signal });
    controller.abort(new Error('stop waiting'));
    await expect(waiting).rejects.toThrow('stop waiting');
  });
});
