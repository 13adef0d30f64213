import {
  chownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createTempDir } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { acquire, withLock } from './acquire.js';
import { acquireSync } from './acquire-sync.js';
import { LockError } from './errors.js';
import { heldByThisProcess } from './lock.js';

const replaceLock = (path: string) => {
  writeFileSync(`${path}.other`, '{"pid":1,"token":"x","hostname":"elsewhere"}');
  renameSync(`${path}.other`, path);
};

describe('Lock handles', () => {
  it('assertHeld throws ENOTHELD after release, and releasing twice is a no-op', async () => {
    await using dir = await createTempDir();
    const lock = await acquire(dir.join('a.lock'));
    expect(lock.held).toBe(true);
    await lock.release();
    await lock.release();
    expect(lock.held).toBe(false);
    expect(() => lock.assertHeld()).toThrow(expect.objectContaining({ code: 'ENOTHELD' }));
  });

  it('assertHeld notices at once that the file at the path is no longer ours', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    const lock = await acquire(path);
    replaceLock(path);
    expect(() => lock.assertHeld()).toThrow(expect.objectContaining({ code: 'ELOCKCOMPROMISED', path }));
    expect(lock.compromised).toBe(true);
    // Release never removes another owner's file, and never throws in a finally block for it.
    expect(await lock.release()).toBe(false);
    expect(await lock.release()).toBe(false);
  });

  it('tells onCompromised from the refresh timer', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    const lost = new Promise<Error>((resolve) => {
      void acquire(path, { staleMs: 200, onCompromised: resolve }).then(() => replaceLock(path));
    });
    expect(await lost).toMatchObject({ code: 'ELOCKCOMPROMISED' });
  });

  it('works with await using and leaves nothing behind but its pooled holder file', async () => {
    await using dir = await createTempDir();
    {
      await using lock = await acquire(dir.join('a.lock'));
      lock.assertHeld();
    }
    expect(readdirSync(dir.path)).toEqual(['a.lock.d']);
    expect(readdirSync(dir.join('a.lock.d')).filter((name) => !name.startsWith('h-'))).toEqual([]);
  });
});

describe('waiting', () => {
  it('times out with ELOCKTIMEOUT naming the path and the holder pid', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    const lock = await acquire(path);
    const error = await acquire(path, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ELOCKTIMEOUT', path, holderPid: process.pid });
    expect((error as Error).message).toContain(path);
    expect(() => acquireSync(path, { timeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'ELOCKTIMEOUT' }),
    );
    await lock.release();
    // The waiters gave their places in line back.
    expect(readdirSync(dir.join('a.lock.d')).filter((name) => name.startsWith('q-'))).toEqual([]);
  });

  it('aborts with ELOCKABORTED whose cause is the signal reason', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    const lock = await acquire(path);
    const controller = new AbortController();
    const waiting = acquire(path, { signal: controller.signal });
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(waiting).rejects.toMatchObject({ code: 'ELOCKABORTED', cause: reason });
    // Aborted before the first try: still names the holder.
    await expect(acquire(path, { signal: AbortSignal.abort(reason) })).rejects.toMatchObject({
      code: 'ELOCKABORTED',
      holderPid: process.pid,
      message: expect.stringContaining(`held by pid ${process.pid}`),
    });
    await lock.release();
  });

  it('hands the lock to a waiter as soon as it is released', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    const first = await acquire(path);
    const order: string[] = [];
    const second = acquire(path).then(async (lock) => {
      order.push('second');
      await lock.release();
    });
    order.push('release');
    await first.release();
    await second;
    expect(order).toEqual(['release', 'second']);
  });

  it('does not rewrite its own holder file while the lock stays held (that would wake itself)', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    const held = await acquire(path);
    const heldIno = lstatSync(path).ino;
    const waiting = acquire(path);
    const waiterFile = async () => {
      for (;;) {
        const names = readdirSync(dir.join('a.lock.d')).filter((name) => name.startsWith('h-'));
        const mine = names
          .map((name) => dir.join('a.lock.d', name))
          .find((p) => lstatSync(p).ino !== heldIno);
        if (mine) return mine;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    };
    try {
      const file = await waiterFile();
      // Past the first polls: each used to restamp the file before trying to link it.
      await new Promise((resolve) => setTimeout(resolve, 60));
      const before = lstatSync(file).mtimeMs;
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(lstatSync(file).mtimeMs).toBe(before);
    } finally {
      await held.release();
      await (await waiting).release();
    }
  });

  it('acquireSync refuses at once a lock this process holds: it could only wait for itself', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    const held = await acquire(path);
    expect(heldByThisProcess(path)).toBe(true);
    // A minute of timeout: only the refusal lets this test finish.
    expect(() => acquireSync(path, { timeoutMs: 60_000 })).toThrow(
      expect.objectContaining({
        code: 'ELOCKTIMEOUT',
        message: expect.stringContaining('held by this process'),
      }),
    );
    await held.release();
    expect(heldByThisProcess(path)).toBe(false);
    acquireSync(path).release();
  });

  it('acquireSync refuses a signal it could never observe', () => {
    expect(() => acquireSync('/tmp/x.lock', { signal: AbortSignal.abort() } as never)).toThrow(
      expect.objectContaining({ code: 'EINVALIDOPTION' }),
    );
  });
});

describe('withLock', () => {
  it('returns what fn returns and releases', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    expect(await withLock(path, () => 42)).toBe(42);
    await (await acquire(path, { timeoutMs: 0 })).release();
  });

  it("rethrows fn's error after releasing", async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    await expect(withLock(path, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await (await acquire(path, { timeoutMs: 0 })).release();
  });

  it('surfaces a lock lost while fn ran', async () => {
    await using dir = await createTempDir();
    const path = dir.join('a.lock');
    const error = await withLock(path, () => replaceLock(path)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockError);
    expect(error).toMatchObject({ code: 'ELOCKCOMPROMISED' });
  });
});

describe('sidecar directory', () => {
  it('refuses a symlink planted at <lock>.d, and never writes through it', async () => {
    await using dir = await createTempDir();
    mkdirSync(dir.join('elsewhere'));
    symlinkSync(dir.join('elsewhere'), dir.join('a.lock.d'));
    const error = await acquire(dir.join('a.lock'), { timeoutMs: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ELOCKDIR' });
    expect((error as Error).message).toContain('symlink');
    expect(() => acquireSync(dir.join('a.lock'), { timeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'ELOCKDIR' }),
    );
    expect(readdirSync(dir.join('elsewhere'))).toEqual([]);
    expect(readdirSync(dir.path).sort()).toEqual(['a.lock.d', 'elsewhere']);
  });

  it.runIf(process.getuid?.() === 0)('refuses a <lock>.d owned by another user', async () => {
    await using dir = await createTempDir();
    mkdirSync(dir.join('a.lock.d'), { mode: 0o700 });
    chownSync(dir.join('a.lock.d'), 65534, 65534);
    const error = await acquire(dir.join('a.lock'), { timeoutMs: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ELOCKDIR' });
    expect((error as Error).message).toContain('uid 65534');
    expect(readdirSync(dir.join('a.lock.d'))).toEqual([]);
  });

  it('keeps holder files and tickets in a private <lock>.d beside the lock', async () => {
    await using dir = await createTempDir();
    const lock = await acquire(dir.join('a.lock'));
    const waiting = acquire(dir.join('a.lock'));
    while (!readdirSync(dir.join('a.lock.d')).some((name) => name.startsWith('q-')))
      await new Promise((resolve) => setImmediate(resolve));
    expect(readdirSync(dir.path).sort()).toEqual(['a.lock', 'a.lock.d']);
    expect(lstatSync(dir.join('a.lock')).isFile()).toBe(true);
    expect(lstatSync(dir.join('a.lock.d')).mode & 0o777).toBe(0o700);
    await lock.release();
    await (await waiting).release();
  });
});
