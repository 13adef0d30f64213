import { fileURLToPath } from 'node:url';
import { spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/write-after-close.ts', import.meta.url));

/** Starts the fixture in `mode` and closes our end of its stderr before it writes there. */
async function startWritingToClosedStderr(mode: 'safe' | 'plain') {
  const child = spawnFixture(fixture, [mode]);
  await child.waitForStdoutLine('ready');
  child.child.stderr?.destroy();
  child.child.stdin?.write('go\n');
  return child;
}

describe('writeStderr', () => {
  it('survives a stderr whose reader went away (EPIPE)', async () => {
    await using child = await startWritingToClosedStderr('safe');
    await child.waitForStdoutLine('done');
    expect(await child.exited()).toEqual({ code: 0, signal: null });
  });

  it('is needed: a plain write to that stderr crashes the process', async () => {
    await using child = await startWritingToClosedStderr('plain');
    expect((await child.exited()).code).not.toBe(0);
  });
});
