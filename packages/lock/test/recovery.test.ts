import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { acquire, LockError, ownProcessStartTime } from '@ports/lock';
import { createTempDir, needsProc, procMounted } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { acquiredAt, lockCli, lockLitter, spawnGroup } from './helpers.js';

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function ownStartTime(): number {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

function record(pid: number, startTime: number | null): string {
  return JSON.stringify({
    pid,
    token: 'ab'.repeat(16),
    startTime,
    hostname: hostname(),
    acquiredAt: Date.now(),
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof LockError ? error.code : String(error);
  }
}

describe('stale takeover (property 2)', () => {
  it('many waiters judging one stale lock at the same instant: exactly one gets it', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    const stalePid = deadPid();
    writeFileSync(lockPath, record(stalePid, null), { mode: 0o600 });
    // Each waiter blocks 1.5 s between judging the lock stale and removing it, so all of them hold
    // the same stale verdict when the first one acts: the race is forced, not hoped for. The winner
    // keeps the lock; the others give up after 4 s, long after they all acted on their verdict.
    await using group = spawnGroup(6, () =>
      lockCli(
        lockPath,
        { staleMs: 60_000, timeoutMs: 4000 },
        { STALE_HOOK_DELAY_MS: '1500', WAIT_FOR_GO: '1' },
      ),
    );
    for (const child of group.all) await child.waitForStderrLine('ready', { timeoutMs: 60_000 });
    for (const child of group.all) child.child.stdin?.write('go\n');
    const outcomes = await Promise.all(
      group.all.map(async (child) => {
        await child.waitForStderrLine(`stale-judged dead-holder ${stalePid}`, { timeoutMs: 30_000 });
        return (await child.waitForStderrLine(/^(acquired|error)/, { timeoutMs: 30_000 })).split(' ')[0] ===
          'acquired'
          ? 'acquired'
          : 'error';
      }),
    );
    expect(outcomes.filter((outcome) => outcome === 'acquired')).toHaveLength(1);
    const texts = group.all.map((child) => child.stderr.text);
    expect(texts.filter((text) => text.includes('error ELOCKTIMEOUT'))).toHaveLength(5);
  }, 90_000);
});

describe('crashed holder (property 3)', () => {
  it('a holder killed with kill -9 is replaced at once, long before staleMs', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    await using holder = lockCli(lockPath, { staleMs: 60_000 });
    await holder.waitForStderrLine('acquired');
    await using waiter = lockCli(lockPath, { staleMs: 60_000, timeoutMs: 30_000 });
    await waiter.waitForStderrLine('waiting');
    const killedAt = Date.now();
    holder.kill('SIGKILL');
    const line = await waiter.waitForStderrLine(/^(acquired|error)/, { timeoutMs: 30_000 });
    expect(line).toMatch(/^acquired/);
    const recoveryMs = acquiredAt(line) - killedAt;
    console.log(`property 3: lock recovered ${recoveryMs} ms after kill -9 (target 100 ms; staleMs 60000)`);
    // 100 ms is the target (typically 3-7 ms here); 1 s is 10x slack for a loaded CI machine and
    // still 60x below staleMs, so only the dead-pid rule can explain it.
    expect(recoveryMs).toBeLessThan(1000);
    waiter.child.stdin?.write('release\n');
    await waiter.waitForStderrLine('released');
    // The lock is gone; what remains are the processes' private holder files and no ticket or guard.
    const left = lockLitter(dir.path, 'registry.json.lock');
    expect(left.filter((name) => !/\.d\/h-\d+-/.test(name))).toEqual([]);
  });

  it("a waiter that breaks a dead holder's lock removes it under a guard that names the waiter", async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    await using holder = lockCli(lockPath, { staleMs: 60_000 });
    await holder.waitForStderrLine('acquired');
    // The guard is a hard link to the breaker's holder file: what that file says at the break is
    // what a second breaker reads (an empty one is an unknown owner, judged by its age alone).
    const ours = (): string[] =>
      readdirSync(`${lockPath}.d`)
        .filter((name) => name.startsWith(`h-${process.pid}-`))
        .map((name) => readFileSync(`${lockPath}.d/${name}`, 'utf8'));
    let atBreak: string[] = [];
    const waiting = acquire(lockPath, {
      staleMs: 60_000,
      timeoutMs: 30_000,
      onStaleLock: () => {
        atBreak = ours();
      },
    });
    while (!readdirSync(`${lockPath}.d`).some((name) => name.startsWith('q-')))
      await new Promise((resolve) => setTimeout(resolve, 2));
    holder.kill('SIGKILL');
    const lock = await waiting;
    await lock.release();
    expect(atBreak).toHaveLength(1);
    expect(JSON.parse(atBreak[0] as string)).toMatchObject({ pid: process.pid });
  });

  it('a live pid with another start time is a reused pid: stale at once', async (context) => {
    if (!procMounted) context.skip(needsProc('start times; without them pid reuse is caught by age only'));
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    writeFileSync(lockPath, record(process.pid, ownStartTime() - 1), { mode: 0o600 });
    const lock = await acquire(lockPath, { staleMs: 60_000, timeoutMs: 5000 });
    await lock.release();
  });

  it('a live pid with its own start time is respected until the file ages past staleMs', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    // Our start time as this platform gives it: from /proc here, none where /proc is hidden.
    writeFileSync(lockPath, record(process.pid, procMounted ? ownStartTime() : ownProcessStartTime), {
      mode: 0o600,
    });
    const error = await acquire(lockPath, { staleMs: 60_000, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockError);
    expect(error).toMatchObject({ code: 'ELOCKTIMEOUT', holderPid: process.pid });
    expect((error as Error).message).toContain(`held by pid ${process.pid}`);
    const old = new Date(Date.now() - 61_000);
    utimesSync(lockPath, old, old);
    const lock = await acquire(lockPath, { staleMs: 60_000, timeoutMs: 5000 });
    await lock.release();
  });
});

describe('live holders (property 4)', () => {
  it('a holder whose critical section lasts 3x staleMs keeps its lock', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    const staleMs = 1500;
    await using holder = lockCli(lockPath, { staleMs });
    await holder.waitForStderrLine('acquired');
    await using waiter = lockCli(lockPath, { staleMs, timeoutMs: 60_000 });
    await waiter.waitForStderrLine('waiting');
    holder.child.stdin?.write(`hold ${3 * staleMs}\n`);
    expect(await holder.waitForStderrLine(/^after-hold/, { timeoutMs: 30_000 })).toBe('after-hold held');
    // The waiter tried all along and never got in.
    expect(waiter.stderr.lines.some((line) => line.startsWith('acquired'))).toBe(false);
    holder.child.stdin?.write('release\n');
    await holder.waitForStderrLine('released');
    expect(await waiter.waitForStderrLine(/^(acquired|error)/)).toMatch(/^acquired/);
  }, 60_000);
});

describe('stalled holder (property 5)', () => {
  it('a holder stopped past staleMs learns it lost the lock and does not remove the new one', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    const staleMs = 1000;
    await using holder = lockCli(lockPath, { staleMs });
    await holder.waitForStderrLine('acquired');
    holder.kill('SIGSTOP');
    try {
      await using waiter = lockCli(lockPath, { staleMs, timeoutMs: 60_000 });
      expect(await waiter.waitForStderrLine(/^(acquired|error)/, { timeoutMs: 60_000 })).toMatch(/^acquired/);
      holder.kill('SIGCONT');
      holder.child.stdin?.write('check\n');
      expect(await holder.waitForStderrLine(/^(held|error)/)).toBe('error ELOCKCOMPROMISED');
      holder.child.stdin?.write('release\n');
      expect(await holder.waitForStderrLine(/^(released|not ours|error)/)).toBe('not ours: nothing removed');
      // The new owner's lock is intact and still its own.
      expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(waiter.pid);
      waiter.child.stdin?.write('check\n');
      expect(await waiter.waitForStderrLine(/^(held|error)/)).toBe('held');
      waiter.child.stdin?.write('release\n');
      expect(await waiter.waitForStderrLine(/^(released|error)/)).toBe('released');
      expect(await codeOf(acquire(lockPath, { timeoutMs: 0 }).then((lock) => lock.release()))).toBe(
        'resolved',
      );
    } finally {
      holder.kill('SIGCONT');
    }
  }, 90_000);
});
