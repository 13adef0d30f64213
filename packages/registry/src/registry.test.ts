import { spawn, spawnSync } from 'node:child_process';
import { chown, lstat, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { ownProcessStartTime, processStartTime } from '@ports/lock';
import { createTempDir, needsProc, procMounted } from '@ports/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { freeRange } from '../test/free-range.js';
import { RegistryError } from './errors.js';
import { createInstanceId } from './instance-id.js';
import { PortRegistryManager } from './manager.js';
import type { RegistryLogger } from './options.js';
import { PortRegistry } from './registry.js';

const isRoot = process.getuid?.() === 0;
const hasPerl = spawnSync('perl', ['-e', '1']).status === 0;

function recordingLogger(): RegistryLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) };
}

function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', '']);
  return result.pid as number;
}

const children: Array<{ kill(): boolean }> = [];
function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child.pid as number;
}
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

function listen(port: number, host = '127.0.0.1'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

async function readJson(
  file: string,
): Promise<{ instances: Array<Record<string, unknown>> } & Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8'));
}

function entry(port: number, overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    port,
    instanceId: `other-${port}`,
    pid: process.pid,
    createdAt: now,
    lastHeartbeat: now,
    ...overrides,
  };
}

type Setup = Awaited<ReturnType<typeof setup>>;

async function setup(size = 4, options: Record<string, unknown> = {}) {
  const dir = await createTempDir('registry-');
  const range = await freeRange(size);
  const logger = recordingLogger();
  const file = dir.join('ports.json');
  const registry = new PortRegistry({ file, range, logger, ...options });
  return { dir, range, file, registry, logger, [Symbol.asyncDispose]: () => dir.remove() };
}

describe('PortRegistry.allocate', () => {
  it('claims the first free port and writes the design format, mode 0600', async () => {
    await using t = await setup();
    const allocation = await t.registry.allocate({ instanceId: 'one' });
    expect(allocation.port).toBe(t.range[0]);
    expect(allocation).toMatchObject({ instanceId: 'one', pid: process.pid, bound: undefined });
    const data = await readJson(t.file);
    expect(data.instances).toEqual([
      expect.objectContaining({
        port: t.range[0],
        instanceId: 'one',
        pid: process.pid,
        createdAt: expect.any(Number),
        lastHeartbeat: expect.any(Number),
        // Where the platform gives no start time (Linux with /proc hidden, Windows) there is none.
        ...(ownProcessStartTime === null ? {} : { startTime: ownProcessStartTime }),
        hostname: hostname(),
      }),
    ]);
    expect((await stat(t.file)).mode & 0o777).toBe(0o600);
    expect(t.logger.lines).toContain(`info Allocated port ${t.range[0]} for one`);
  });

  it('gives each instance its own port and keeps other writers’ fields', async () => {
    await using t = await setup();
    await writeFile(
      t.file,
      JSON.stringify({ comment: 'keep me', instances: [entry(t.range[0], { color: 'red' })] }),
    );
    const a = await t.registry.allocate({ instanceId: 'a' });
    const b = await t.registry.allocate({ instanceId: 'b' });
    expect([a.port, b.port]).toEqual([t.range[0] + 1, t.range[0] + 2]);
    const data = await readJson(t.file);
    expect(data.comment).toBe('keep me');
    expect(data.instances[0]).toMatchObject({ color: 'red' });
  });

  it('skips a port some other program listens on', async () => {
    await using t = await setup();
    const server = await listen(t.range[0]);
    try {
      expect((await t.registry.allocate({ instanceId: 'a' })).port).toBe(t.range[0] + 1);
    } finally {
      server.close();
    }
  });

  it('runs bind under the lock and moves on when bind hits EADDRINUSE', async () => {
    await using t = await setup();
    const tried: number[] = [];
    const allocation = await t.registry.allocate({
      instanceId: 'a',
      bind: async (port) => {
        tried.push(port);
        if (tried.length === 1) throw Object.assign(new Error('taken'), { code: 'EADDRINUSE' });
        await lstat(`${t.file}.lock`); // the lock is held while we bind
        return `bound:${port}`;
      },
    });
    expect(tried).toEqual([t.range[0], t.range[0] + 1]);
    expect(allocation.bound).toBe(`bound:${t.range[0] + 1}`);
  });

  it('calls unbind when the registry cannot be written after bind, also when bind resolved to nothing', async () => {
    await using t = await setup();
    const unbound: unknown[] = [];
    await expect(
      t.registry.allocate({
        instanceId: 'a',
        // A server bound in place resolves to nothing, as in the README. Removing the prepared temp
        // file makes the rename that would commit the entry fail.
        bind: async () => {
          for (const name of await readdir(t.dir.path)) if (name.endsWith('.tmp')) await rm(t.dir.join(name));
        },
        unbind: (bound) => {
          unbound.push(bound);
        },
      }),
    ).rejects.toMatchObject({ code: 'EREGISTRYIO' });
    expect(unbound).toEqual([undefined]);
    await expect(t.registry.heartbeat('a')).rejects.toMatchObject({ code: 'ENOTALLOCATED' });
  });

  it('aborts on any other bind error and writes nothing', async () => {
    await using t = await setup();
    await expect(
      t.registry.allocate({ instanceId: 'a', bind: async () => Promise.reject(new Error('disk on fire')) }),
    ).rejects.toThrow('disk on fire');
    await expect(stat(t.file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('aborts at once when bind says the address is not local (EADDRNOTAVAIL): no other port would do', async () => {
    await using t = await setup();
    const tried: number[] = [];
    const notLocal = Object.assign(new Error('bind EADDRNOTAVAIL 10.255.255.1'), { code: 'EADDRNOTAVAIL' });
    await expect(
      t.registry.allocate({
        instanceId: 'a',
        bind: async (port) => {
          tried.push(port);
          throw notLocal;
        },
      }),
    ).rejects.toBe(notLocal);
    expect(tried).toEqual([t.range[0]]);
    await expect(stat(t.file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('tries the preferred port first', async () => {
    await using t = await setup();
    expect((await t.registry.allocate({ instanceId: 'a', preferredPort: t.range[1] })).port).toBe(t.range[1]);
  });

  it('fails with EPORTSEXHAUSTED naming every holder', async () => {
    await using t = await setup(2);
    await t.registry.allocate({ instanceId: 'mine' });
    const server = await listen(t.range[1]);
    try {
      const error = await t.registry.allocate({ instanceId: 'late' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryError);
      expect(error).toMatchObject({ code: 'EPORTSEXHAUSTED' });
      expect((error as Error).message).toContain(`${t.range[0]} instance mine (pid ${process.pid})`);
      // Who listens is read from /proc/net/tcp here; with /proc hidden the holder is unknown, never an error.
      expect((error as Error).message).toContain(
        procMounted
          ? `${t.range[1]} in use by pid ${process.pid}`
          : `${t.range[1]} in use by an unknown process`,
      );
    } finally {
      server.close();
    }
  });

  it('refuses an id held by another live process', async () => {
    await using t = await setup();
    await writeFile(
      t.file,
      JSON.stringify({ instances: [entry(t.range[0], { instanceId: 'shared', pid: livePid() })] }),
    );
    await expect(t.registry.allocate({ instanceId: 'shared' })).rejects.toMatchObject({
      code: 'EINSTANCEIDTAKEN',
    });
  });

  it('gives a restarted instance its old port back when its previous owner is dead', async () => {
    await using t = await setup();
    await writeFile(
      t.file,
      JSON.stringify({ instances: [entry(t.range[0] + 2, { instanceId: 'stable', pid: deadPid() })] }),
    );
    expect((await t.registry.allocate({ instanceId: 'stable' })).port).toBe(t.range[0] + 2);
    expect(t.logger.lines.some((line) => /Evicted stale instance stable .*process exited/.test(line))).toBe(
      true,
    );
  });

  it('remembers the port of an instance that left, through later writes by others, for its restart', async () => {
    await using t = await setup();
    await writeFile(
      t.file,
      JSON.stringify({ instances: [entry(t.range[0] + 2, { instanceId: 'crashed', pid: deadPid() })] }),
    );
    // Another instance's write evicts the dead entry; then a clean release.
    await t.registry.allocate({ instanceId: 'other' });
    await t.registry.allocate({ instanceId: 'clean' });
    const cleanPort = (await readJson(t.file)).instances.find((e) => e.instanceId === 'clean')?.port;
    await t.registry.release('clean');
    await t.registry.release('other');
    expect((await readJson(t.file)).instances).toEqual([]);
    expect((await t.registry.allocate({ instanceId: 'crashed' })).port).toBe(t.range[0] + 2);
    expect((await t.registry.allocate({ instanceId: 'clean' })).port).toBe(cleanPort);
    // Back in the registry: no longer remembered as gone.
    const remembered = (await readJson(t.file)).previousPorts as { instanceId: string }[];
    expect(remembered.map((item) => item.instanceId)).toEqual(['other']);
  });

  it('does not remember generated ids, which no restart reuses', async () => {
    await using t = await setup();
    const generated = createInstanceId({});
    await t.registry.allocate({ instanceId: generated });
    await t.registry.allocate({ instanceId: 'named' });
    await t.registry.release(generated);
    await t.registry.release('named');
    const remembered = (await readJson(t.file)).previousPorts as { instanceId: string }[];
    expect(remembered.map((item) => item.instanceId)).toEqual(['named']);
  });

  it('evicts a live pid whose start time shows it was reused', async (context) => {
    if (!procMounted)
      context.skip(needsProc('start times; elsewhere a reused pid is evicted by heartbeat age'));
    await using t = await setup();
    const pid = livePid();
    await writeFile(
      t.file,
      JSON.stringify({ instances: [entry(t.range[0], { pid, startTime: 1, hostname: hostname() })] }),
    );
    expect(await t.registry.list()).toEqual([]);
    expect((await t.registry.allocate({ instanceId: 'a' })).port).toBe(t.range[0]);
    expect(t.logger.lines.some((line) => line.includes('pid reused'))).toBe(true);
  });

  it.skipIf(!hasPerl)(
    'evicts a zombie: it has exited, though its pid still exists until it is reaped',
    async (context) => {
      if (!procMounted) context.skip(needsProc('a zombie is told by its state in /proc/<pid>/stat'));
      await using t = await setup();
      // A parent that never waits for its child: the child exits at once and stays a zombie. Perl is
      // part of every Debian-like system (perl-base is essential); without it the test is skipped.
      const parent = spawn(
        'perl',
        ['-e', '$| = 1; my $p = fork(); exit 0 unless $p; print "$p\\n"; sleep 30'],
        {
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      children.push(parent);
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', resolve)));
      let state = '';
      for (let i = 0; i < 200 && state !== 'Z'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        state = (await readFile(`/proc/${zombie}/stat`, 'utf8')).split(') ')[1]?.[0] ?? '';
      }
      expect(state).toBe('Z');
      await writeFile(
        t.file,
        JSON.stringify({ instances: [entry(t.range[0], { pid: zombie, hostname: hostname() })] }),
      );
      expect(await t.registry.list()).toEqual([]);
      expect((await t.registry.allocate({ instanceId: 'a' })).port).toBe(t.range[0]);
      expect(t.logger.lines.some((line) => /Evicted stale instance .*process exited/.test(line))).toBe(true);
    },
  );

  it('evicts a process the moment it is gone, even one it found alive an instant before', async () => {
    await using t = await setup();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(child);
    const pid = child.pid as number;
    await writeFile(
      t.file,
      JSON.stringify({ instances: [entry(t.range[0], { pid, startTime: processStartTime(pid) })] }),
    );
    // Found alive: this confirmation is trusted briefly, but only while the pid exists at all.
    expect((await t.registry.list()).map((e) => e.pid)).toEqual([pid]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited; // reaped: the pid is free now
    expect(await t.registry.list()).toEqual([]);
    expect((await t.registry.allocate({ instanceId: 'a' })).port).toBe(t.range[0]);
  });

  it('keeps a live pid with its own start time, and evicts silent heartbeats', async () => {
    await using t = await setup(4, { staleAfterMs: 1_000 });
    const pid = livePid();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const live = entry(t.range[0], { pid, startTime: processStartTime(pid) });
    const silent = entry(t.range[0] + 1, { lastHeartbeat: Date.now() - 5_000 });
    await writeFile(t.file, JSON.stringify({ instances: [live, silent] }));
    expect((await t.registry.list()).map((e) => e.port)).toEqual([t.range[0]]);
    expect((await t.registry.allocate({ instanceId: 'a' })).port).toBe(t.range[0] + 1);
  });
});

describe('PortRegistry.heartbeat and release', () => {
  it('refreshes lastHeartbeat', async () => {
    await using t = await setup();
    const first = await t.registry.allocate({ instanceId: 'a' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const beat = await t.registry.heartbeat('a');
    expect(beat.lastHeartbeat).toBeGreaterThan(first.lastHeartbeat);
    expect((await readJson(t.file)).instances[0]?.lastHeartbeat).toBe(beat.lastHeartbeat);
  });

  it('re-adds an evicted entry whose port is still free, and reports a lost one', async () => {
    await using t = await setup();
    const { port } = await t.registry.allocate({ instanceId: 'a' });
    await writeFile(t.file, JSON.stringify({ instances: [] }));
    expect((await t.registry.heartbeat('a')).port).toBe(port);
    expect((await t.registry.list()).map((e) => e.instanceId)).toEqual(['a']);

    await writeFile(
      t.file,
      JSON.stringify({ instances: [entry(port, { instanceId: 'thief', pid: livePid() })] }),
    );
    await expect(t.registry.heartbeat('a')).rejects.toMatchObject({ code: 'EPORTLOST' });
    await expect(t.registry.heartbeat('never')).rejects.toMatchObject({ code: 'ENOTALLOCATED' });
  });

  it('keeps a release final when a heartbeat of ours was already under way', async () => {
    await using t = await setup();
    await t.registry.allocate({ instanceId: 'a' });
    // The beat takes the lock first and records the entry; the release runs right after it.
    const beat = t.registry.heartbeat('a');
    const released = t.registry.release('a');
    await beat;
    expect(await released).toBe(true);
    await expect(t.registry.heartbeat('a')).rejects.toMatchObject({ code: 'ENOTALLOCATED' });
    expect((await readJson(t.file)).instances).toEqual([]);
    expect(t.logger.lines.some((line) => line.includes('Re-registered'))).toBe(false);
  });

  it('releases only our own entry, async and sync', async () => {
    await using t = await setup();
    const other = entry(t.range[1], { instanceId: 'b', pid: livePid() });
    await t.registry.allocate({ instanceId: 'a' });
    await t.registry.allocate({ instanceId: 'c' });
    const data = await readJson(t.file);
    await writeFile(t.file, JSON.stringify({ instances: [...data.instances, other] }));
    expect(await t.registry.release('a')).toBe(true);
    expect(await t.registry.release('a')).toBe(false);
    expect(await t.registry.release('b')).toBe(false);
    expect(t.registry.releaseSync('c')).toBe(true);
    expect((await readJson(t.file)).instances.map((e) => e.instanceId)).toEqual(['b']);
    expect(t.logger.lines).toContain(`info Released port ${t.range[0]} for a`);
    expect(t.logger.lines).toContain(`info Released port ${t.range[0] + 1} for c`);
  });
});

describe('releaseSync during an async operation of the same process', () => {
  it('returns false at once instead of waiting for the lock this process holds, and warns of nothing', async () => {
    await using t = await setup();
    await t.registry.allocate({ instanceId: 'a' });
    // As on a signal: the async release and the sync fallback start together.
    const releasing = t.registry.release('a');
    expect(t.registry.releaseSync('a')).toBe(false);
    expect(await releasing).toBe(true);
    expect((await readJson(t.file)).instances).toEqual([]);
    expect(t.logger.lines.filter((line) => line.startsWith('warn'))).toEqual([]);
  });
});

describe('PortRegistry.list', () => {
  it('reads without writing or locking', async () => {
    await using t = await setup();
    const stale = JSON.stringify({ instances: [entry(t.range[0], { pid: deadPid() }), entry(t.range[1])] });
    await writeFile(t.file, stale);
    const before = await stat(t.file);
    expect((await t.registry.list()).map((e) => e.port)).toEqual([t.range[1]]);
    const after = await stat(t.file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(await readFile(t.file, 'utf8')).toBe(stale);
    expect(await readdir(t.dir.path)).toEqual(['ports.json']);
  });

  it('returns [] for a missing file', async () => {
    await using t = await setup();
    expect(await t.registry.list()).toEqual([]);
  });
});

describe('bad registry files', () => {
  it.each([
    ['corrupt JSON', '{"instances": [{"port": 87', 'not valid JSON'],
    ['an empty object', '{}', 'it has no "instances" array'],
    ['null', 'null', 'its top level is null, not an object'],
    ['an array', '[1, 2]', 'its top level is an array, not an object'],
  ])('moves %s aside, warns, and starts afresh', async (_name, content, reason) => {
    await using t = await setup();
    await writeFile(t.file, content);
    expect(await t.registry.list()).toEqual([]);
    expect((await t.registry.allocate({ instanceId: 'a' })).port).toBe(t.range[0]);
    const aside = (await readdir(t.dir.path)).filter((name) => name.startsWith('ports.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(t.dir.join(aside[0] as string), 'utf8')).toBe(content);
    const warning = t.logger.lines.find((line) => line.startsWith('warn') && line.includes('moved it to'));
    expect(warning).toContain(`${t.file} was corrupt (${reason}`);
  });

  it('keeps valid entries beside invalid ones and saves the original', async () => {
    await using t = await setup();
    const content = JSON.stringify({ instances: [entry(t.range[0], { instanceId: 'live' }), { port: 'x' }] });
    await writeFile(t.file, content);
    expect((await t.registry.allocate({ instanceId: 'a' })).port).toBe(t.range[0] + 1);
    expect((await readJson(t.file)).instances.map((e) => e.instanceId)).toEqual(['live', 'a']);
    const aside = (await readdir(t.dir.path)).filter((name) => name.includes('.corrupt-'));
    expect(await readFile(t.dir.join(aside[0] as string), 'utf8')).toBe(content);
  });

  it.each([
    ['a heartbeat of an unknown id', (t: Setup) => t.registry.heartbeat('nope')],
    [
      'an allocation whose bind fails',
      (t: Setup) => t.registry.allocate({ bind: () => Promise.reject(new Error('no')) }),
    ],
  ])('keeps the valid entries when %s fails after bad ones were moved aside', async (_name, run) => {
    await using t = await setup();
    const content = JSON.stringify({
      owner: 'me',
      instances: [entry(t.range[0], { instanceId: 'live' }), { port: 'x' }],
    });
    await writeFile(t.file, content);
    await expect(run(t)).rejects.toThrow();
    const data = await readJson(t.file);
    expect(data.instances.map((e) => e.instanceId)).toEqual(['live']);
    expect(data.owner).toBe('me');
    const aside = (await readdir(t.dir.path)).filter((name) => name.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
  });

  it('releaseSync saves a file with bad entries aside too, and warns, before dropping them', async () => {
    await using t = await setup();
    await t.registry.allocate({ instanceId: 'a' });
    const data = await readJson(t.file);
    const content = JSON.stringify({ instances: [...data.instances, { port: 'x' }] });
    await writeFile(t.file, content);
    expect(t.registry.releaseSync('a')).toBe(true);
    expect((await readJson(t.file)).instances).toEqual([]);
    const aside = (await readdir(t.dir.path)).filter((name) => name.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(t.dir.join(aside[0] as string), 'utf8')).toBe(content);
    expect(t.logger.lines.some((line) => line.startsWith('warn') && line.includes('invalid entries'))).toBe(
      true,
    );
  });

  it('moves a 50 MB file aside without parsing it, and no live instance loses its port', async () => {
    await using t = await setup();
    const server = await listen(t.range[0]); // a live instance whose entry is lost in the big file
    try {
      await writeFile(t.file, Buffer.alloc(50 * 1024 * 1024, 0x20));
      expect((await t.registry.allocate({ instanceId: 'a' })).port).toBe(t.range[0] + 1);
      expect((await readdir(t.dir.path)).some((name) => name.includes('.corrupt-'))).toBe(true);
    } finally {
      server.close();
    }
  });

  it('words a registry in a missing directory as EREGISTRYIO naming how to choose another file', async () => {
    await using t = await setup();
    const registry = new PortRegistry({
      file: t.dir.join('missing', 'ports.json'),
      logger: false,
      fileHint: '--registry',
    });
    await expect(registry.allocate({ instanceId: 'a' })).rejects.toMatchObject({
      name: 'RegistryError',
      code: 'EREGISTRYIO',
      message: expect.stringMatching(/its directory does not exist .*choose another file with --registry/),
    });
  });

  it('refuses a symlink at the registry path and leaves its target alone', async () => {
    await using t = await setup();
    const target = t.dir.join('target.json');
    await writeFile(target, 'precious');
    await symlink(target, t.file);
    await expect(t.registry.allocate({ instanceId: 'a' })).rejects.toMatchObject({
      code: 'EREGISTRYSYMLINK',
    });
    await expect(t.registry.list()).rejects.toMatchObject({ code: 'EREGISTRYSYMLINK' });
    expect(await readFile(target, 'utf8')).toBe('precious');
    expect((await lstat(t.file)).isSymbolicLink()).toBe(true);
  });

  it.skipIf(!isRoot)(
    'refuses a registry owned by another user, naming how to choose another file',
    async () => {
      await using t = await setup(4, { fileHint: '--registry or BROWSER_MCP_REGISTRY' });
      await writeFile(t.file, JSON.stringify({ instances: [] }));
      await chown(t.file, 65534, 65534);
      const error = await t.registry.allocate({ instanceId: 'a' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EREGISTRYOWNER' });
      expect((error as Error).message).toMatch(/uid 65534.*--registry or BROWSER_MCP_REGISTRY/);
    },
  );

  it('fails clearly when the directory cannot hold the file', async () => {
    await using dir = await createTempDir('registry-');
    await writeFile(dir.join('not-a-dir'), '');
    const registry = new PortRegistry({
      file: dir.join('not-a-dir', 'ports.json'),
      range: await freeRange(2),
      logger: false,
    });
    const error = await registry.allocate({ instanceId: 'a' }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toMatch(/^E/);
    expect((error as Error).message).toContain('not-a-dir');
  });
});

describe('options', () => {
  it.each([
    [{ range: [10, 5] }, /"range"/],
    [{ range: [0, 5] }, /"range\[0\]"/],
    [{ range: [1, 70_000] }, /"range\[1\]"/],
    [{ range: 'wide' }, /"range"/],
    [{ staleAfterMs: -1 }, /"staleAfterMs"/],
    [{ lockStaleMs: 1.5 }, /"lockStaleMs"/],
    [{ file: '' }, /"file"/],
    [{ durable: 'yes' }, /"durable"/],
    [{ logger: { info: 1 } }, /"logger"/],
    [{ fileHint: 42 }, /"fileHint"/],
    [{ stalAfterMs: 5 }, /unknown option "stalAfterMs"; the options are file, range, staleAfterMs/],
  ])('rejects %j', (options, message) => {
    expect(() => new PortRegistry(options as never)).toThrow(message);
    expect(() => new PortRegistry(options as never)).toThrow(
      expect.objectContaining({ code: 'EINVALIDOPTION' }),
    );
  });

  it('rejects a bad instance id or preferred port', async () => {
    await using t = await setup();
    await expect(t.registry.allocate({ instanceId: 'has space' })).rejects.toMatchObject({
      code: 'EINVALIDOPTION',
    });
    await expect(t.registry.allocate({ preferredPort: 1 })).rejects.toThrow(/outside the range/);
    await expect(t.registry.allocate({ preferredPort: Number.NaN })).rejects.toThrow(/got NaN$/);
  });

  it('words a host that is not this machine’s as a bad "host" option, and writes nothing', async () => {
    await using t = await setup(4, { host: '203.0.113.9' });
    const error = await t.registry.allocate({ instanceId: 'a' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({
      code: 'EINVALIDOPTION',
      message: expect.stringContaining('option "host"'),
    });
    await expect(stat(t.file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('honours MCP_INSTANCE_ID and rejects a bad one', async () => {
    await using t = await setup();
    const previous = process.env.MCP_INSTANCE_ID;
    try {
      process.env.MCP_INSTANCE_ID = 'from-env';
      expect((await t.registry.allocate()).instanceId).toBe('from-env');
      process.env.MCP_INSTANCE_ID = 'has space';
      const error = await t.registry.allocate().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EINVALIDOPTION' });
      expect((error as Error).message).toContain('MCP_INSTANCE_ID');
    } finally {
      if (previous === undefined) delete process.env.MCP_INSTANCE_ID;
      else process.env.MCP_INSTANCE_ID = previous;
    }
  });

  it('generates distinct ids from pid, random hex and time', () => {
    const a = createInstanceId({});
    expect(a).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{8}-[0-9a-z]+$`));
    expect(createInstanceId({})).not.toBe(a);
  });

  it('uses the defaults of the design', () => {
    const registry = new PortRegistry({ logger: false });
    expect(registry.options).toMatchObject({
      file: '/tmp/browsermcp-ports.json',
      lockFile: '/tmp/browsermcp-ports.json.lock',
      range: [8765, 8775],
      staleAfterMs: 60_000,
      lockStaleMs: 5_000,
    });
  });

  it('never writes to stdout', async () => {
    const write = process.stdout.write;
    let written = '';
    process.stdout.write = ((chunk: string) => {
      written += chunk;
      return true;
    }) as typeof process.stdout.write;
    try {
      await using dir = await createTempDir('registry-');
      const registry = new PortRegistry({ file: dir.join('r.json'), range: await freeRange(2) });
      await registry.allocate({ instanceId: 'quiet' });
      await registry.release('quiet');
    } finally {
      process.stdout.write = write;
    }
    expect(written).toBe('');
  });
});

describe('PortRegistryManager', () => {
  it('keeps the design’s names working', async () => {
    await using t = await setup();
    const manager = new PortRegistryManager({
      file: t.file,
      range: t.range,
      logger: false,
      instanceId: 'legacy',
    });
    expect(manager.getInstanceId()).toBe('legacy');
    expect(manager.getPort()).toBeNull();
    const port = await manager.allocatePort();
    expect(manager.getPort()).toBe(port);
    manager.startHeartbeat();
    const active = await PortRegistryManager.getActiveInstances({
      file: t.file,
      range: t.range,
      logger: false,
    });
    expect(active.map((e) => [e.instanceId, e.port])).toEqual([['legacy', port]]);
    await manager.releasePort();
    expect(await PortRegistryManager.getActiveInstances({ file: t.file, logger: false })).toEqual([]);
  });

  it('never overlaps beats, also when the heartbeat is stopped and started while a beat runs', async () => {
    await using t = await setup();
    const manager = new PortRegistryManager({
      file: t.file,
      range: t.range,
      logger: false,
      heartbeatIntervalMs: 5,
    });
    await manager.allocatePort();
    // The real heartbeat, made slower than the interval, counting how many run at once.
    const real = manager.registry.heartbeat.bind(manager.registry);
    let running = 0;
    let most = 0;
    manager.registry.heartbeat = async (id: string) => {
      running += 1;
      most = Math.max(most, running);
      try {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return await real(id);
      } finally {
        running -= 1;
      }
    };
    manager.startHeartbeat();
    while (running === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    manager.stopHeartbeat();
    manager.startHeartbeat();
    await new Promise((resolve) => setTimeout(resolve, 200));
    manager.stopHeartbeat();
    while (running > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(most).toBe(1);
    await manager.releasePort();
  });
});
