import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTempDir } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { parsePsLine, readPsStat } from './start-time.js';

const recorded = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../test/fixtures/ps/${name}`, import.meta.url)), 'utf8');

/** Seconds since the epoch of a local time, as macOS's lstart prints it. */
const localSeconds = (...parts: [number, number, number, number, number, number]): number =>
  Math.floor(new Date(...parts).getTime() / 1000);

describe('start times from ps -o stat=,lstart= (macOS, BSDs)', () => {
  it('reads recorded outputs: live, zombie, no such pid, garbage', () => {
    expect(parsePsLine(recorded('macos-alive.txt'))).toEqual({
      state: 'S',
      startTime: localSeconds(2025, 0, 6, 9, 5, 3),
    });
    expect(parsePsLine(recorded('macos-alive-two-digit-day.txt'))).toEqual({
      state: 'S',
      startTime: localSeconds(2025, 10, 18, 14, 32, 57),
    });
    expect(parsePsLine(recorded('macos-zombie.txt'))?.state).toBe('Z');
    expect(parsePsLine(recorded('macos-no-such-pid.txt'))).toBeNull();
    expect(parsePsLine(recorded('garbage.txt'))).toBeUndefined();
  });

  it('runs ps with those arguments in the C locale, and says null for exit 1 without output, undefined without ps', async () => {
    await using dir = await createTempDir();
    // A stand-in ps that replays a recorded output (or none, exiting 1) and notes how it was called.
    const fakePs = dir.join('ps');
    writeFileSync(
      fakePs,
      `#!/bin/sh\necho "$LC_ALL $*" > "${dir.join('called')}"\nif [ "$4" = 4242 ]; then cat "${fileURLToPath(new URL('../test/fixtures/ps/macos-alive.txt', import.meta.url))}"; else exit 1; fi\n`,
    );
    chmodSync(fakePs, 0o755);
    expect(readPsStat(4242, fakePs)).toEqual({ state: 'S', startTime: localSeconds(2025, 0, 6, 9, 5, 3) });
    expect(readFileSync(dir.join('called'), 'utf8').trim()).toBe('C -o stat=,lstart= -p 4242');
    expect(readPsStat(4243, fakePs)).toBeNull();
    expect(readPsStat(4242, dir.join('no-such-ps'))).toBeUndefined();
  });
});
