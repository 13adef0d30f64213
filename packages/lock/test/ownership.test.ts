import {
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { lutimes } from 'node:fs/promises';
import { acquire, acquireSync, LockError } from '@ports/lock';
import { createTempDir, procMounted } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { lockCli } from './helpers.js';

const otherOwner = JSON.stringify({ pid: 1, token: 'cd'.repeat(16), startTime: null, hostname: 'elsewhere' });

async function errorOf(promise: Promise<unknown>): Promise<LockError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LockError);
  return error as LockError;
}

describe('release checks ownership (property 6)', () => {
  it('does not remove a lock file that another owner put in place of ours', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    await using holder = lockCli(lockPath);
    await holder.waitForStderrLine('acquired');
    // Someone else now owns the path: a new file, with their token.
    writeFileSync(`${lockPath}.new`, otherOwner);
    const { renameSync } = await import('node:fs');
    renameSync(`${lockPath}.new`, lockPath);
    holder.child.stdin?.write('release\n');
    expect(await holder.waitForStderrLine(/^(released|not ours|error)/)).toBe('not ours: nothing removed');
    expect(readFileSync(lockPath, 'utf8')).toBe(otherOwner);
  });

  it('does not remove our own file once its token was rewritten by someone else', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    await using holder = lockCli(lockPath);
    await holder.waitForStderrLine('acquired');
    const inode = statSync(lockPath).ino;
    writeFileSync(lockPath, otherOwner); // in place: same inode, other token
    expect(statSync(lockPath).ino).toBe(inode);
    holder.child.stdin?.write('release\n');
    expect(await holder.waitForStderrLine(/^(released|not ours|error)/)).toBe('not ours: nothing removed');
    expect(readFileSync(lockPath, 'utf8')).toBe(otherOwner);
  });
});

describe('safe files (property 8)', () => {
  it('creates the lock file with mode 0600', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('registry.json.lock');
    await using holder = lockCli(lockPath);
    await holder.waitForStderrLine('acquired');
    const stat = lstatSync(lockPath);
    expect(stat.isFile()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);
  });

  it('never follows a symlink at the lock path, dangling or not', async () => {
    await using dir = await createTempDir();
    const victim = dir.join('victim');
    writeFileSync(victim, 'original');
    const lockPath = dir.join('a.lock');
    symlinkSync(victim, lockPath);
    expect((await errorOf(acquire(lockPath, { timeoutMs: 100 }))).code).toBe('ELOCKTIMEOUT');
    expect(readFileSync(victim, 'utf8')).toBe('original');
    expect(lstatSync(lockPath).isSymbolicLink()).toBe(true);

    const dangling = dir.join('b.lock');
    symlinkSync(dir.join('would-be-created'), dangling);
    expect(() => acquireSync(dangling, { timeoutMs: 100 })).toThrow(LockError);
    expect(() => statSync(dir.join('would-be-created'))).toThrow();

    // An abandoned symlink ages out like any unknown holder: it is removed, never its target.
    const old = new Date(Date.now() - 60_000);
    await lutimes(lockPath, old, old);
    const lock = await acquire(lockPath, { staleMs: 5000, timeoutMs: 5000 });
    expect(lstatSync(lockPath).isFile()).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('original');
    await lock.release();
  });
});

describe('bad input (property 9)', () => {
  for (const [label, content] of [
    ['empty', ''],
    ['truncated', '{"pid":12'],
    ['garbage', '\u0000\u00ff garbage \n{{{'],
  ] as const) {
    it(`a lock file that is ${label} is held by an unknown owner, stale only by age`, async () => {
      await using dir = await createTempDir();
      const lockPath = dir.join('registry.json.lock');
      writeFileSync(lockPath, content, { mode: 0o600 });
      const error = await errorOf(acquire(lockPath, { staleMs: 5000, timeoutMs: 100 }));
      expect(error.code).toBe('ELOCKTIMEOUT');
      expect(error.holderPid).toBeUndefined();
      expect(error.message).toContain('holder unknown');
      const old = new Date(Date.now() - 6000);
      utimesSync(lockPath, old, old);
      const lock = await acquire(lockPath, { staleMs: 5000, timeoutMs: 5000 });
      expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);
      await lock.release();
    });
  }

  it('fails at once with ELOCKDIR when the directory is missing', async () => {
    await using dir = await createTempDir();
    const lockPath = dir.join('missing', 'registry.json.lock');
    const error = await errorOf(acquire(lockPath, { timeoutMs: 60_000 }));
    expect(error.code).toBe('ELOCKDIR');
    expect(error.message).toContain(lockPath);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(() => acquireSync(lockPath, { timeoutMs: 60_000 })).toThrow(/directory does not exist/);
  });

  it('says what is wrong with a directory that exists but takes no files, or a path through a file', async () => {
    await using dir = await createTempDir();
    writeFileSync(dir.join('file'), '');
    const cases: [string, RegExp][] = [
      [dir.join('file', 'x.lock'), /a part of its directory path is a file, not a directory \(ENOTDIR\)/],
      // Only the real /proc takes no files (an empty tmpfs hiding it does).
      ...(procMounted
        ? ([['/proc/ports-test.lock', /nothing can be created in \/proc \(ENOENT\)/]] as [string, RegExp][])
        : []),
    ];
    for (const [lockPath, message] of cases) {
      const error = await errorOf(acquire(lockPath, { timeoutMs: 60_000 }));
      expect(error.code).toBe('ELOCKDIR');
      expect(error.message).toMatch(message);
    }
  });

  it.runIf(process.platform === 'linux')(
    'fails at once with ELOCKDIR when the directory is not writable',
    async () => {
      // Even root may not create files in /sys; chmod would not stop root.
      const error = await errorOf(acquire('/sys/kernel/ports-test.lock', { timeoutMs: 60_000 }));
      expect(error.code).toBe('ELOCKDIR');
      expect(error.message).toContain('not writable');
    },
  );

  it('fails with ELOCKDIR when the lock path is a directory', async () => {
    await using dir = await createTempDir();
    mkdirSync(dir.join('registry.json.lock'));
    const error = await errorOf(acquire(dir.join('registry.json.lock'), { timeoutMs: 60_000 }));
    expect(error.code).toBe('ELOCKDIR');
  });
});
