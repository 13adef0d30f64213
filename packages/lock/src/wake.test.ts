import { linkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createTempDir } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { ChangeWaiter } from './wake.js';

describe('ChangeWaiter', () => {
  it('wakes on a change of the watched file, and times out without one', async () => {
    await using dir = await createTempDir();
    const file = dir.join('ticket');
    writeFileSync(file, '');
    const waiter = new ChangeWaiter(file);
    waiter.arm();
    try {
      expect(await waiter.wait(50, undefined)).toBe(false);
      const woken = waiter.wait(5000, undefined);
      utimesSync(file, 1, 1);
      expect(await woken).toBe(true);
    } finally {
      waiter.stop();
    }
  });

  it('does not replay changes made between a wake-up and the next watch of the same file', async () => {
    // A woken waiter that takes the lock at once links and unlinks its own file (it is the holder),
    // then waits again on the same file. Those changes are its own: the next watch must not report them.
    await using dir = await createTempDir();
    const file = dir.join('ticket');
    writeFileSync(file, '');
    const first = new ChangeWaiter(file);
    first.arm();
    const woken = first.wait(5000, undefined);
    utimesSync(file, 1, 1);
    expect(await woken).toBe(true);
    // Straight on from the wake-up, as a waiter's turn continues.
    first.stop();
    for (const name of ['lock', 'guard', 'lock-again']) {
      linkSync(file, dir.join(name));
      unlinkSync(dir.join(name));
    }
    const second = new ChangeWaiter(file);
    second.arm();
    try {
      expect(await second.wait(100, undefined)).toBe(false);
    } finally {
      second.stop();
    }
  });
});
