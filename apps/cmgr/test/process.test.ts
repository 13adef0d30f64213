import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CmgrHome,
  isAlive,
  readFakeClaude,
  USER_CONFIG,
  unsandboxedHome,
  waitForJson,
} from './helpers.js';

async function ok(home: CmgrHome, args: readonly string[], extra?: NodeJS.ProcessEnv): Promise<string> {
  const result = await home.run(args, extra);
  expect(result.code, `cmgr ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

describe('cmgr start / stop / ports with a fake Claude Desktop', () => {
  it('starts with HOME, CLAUDE_INSTANCE, MCP_* and <TOOL>_PORT set, records the pid, and refuses a second start', async () => {
    const { home, base } = await unsandboxedHome();
    await using _ = home;
    await ok(home, ['create', 'work']);
    const portRegistry = join(home.cmgrHome, 'port_registry.json');
    const before = await stat(portRegistry);
    const started = JSON.parse(await ok(home, ['start', 'work', '--json'])) as { pid: number };
    // start changes registry.json only: the file the older shell tool shares is not rewritten.
    expect((await stat(portRegistry)).ino).toBe(before.ino);
    const fake = await readFakeClaude(home, 'work');
    expect(fake.pid).toBe(started.pid);
    expect(fake.listening).toBe(base + 10);
    expect(fake.env).toMatchObject({
      HOME: home.sandbox('work'),
      CLAUDE_INSTANCE: 'work',
      MCP_BASE_PORT: String(base),
      MCP_PORT_RANGE: '100',
      FILESYSTEM_PORT: String(base + 10),
    });
    expect(Number(fake.env.MY_DB_PORT)).toBeGreaterThanOrEqual(base + 10);
    expect(Number(fake.env.MY_DB_PORT)).toBeLessThanOrEqual(base + 99);
    expect((await home.registry()).instances.work?.process?.pid).toBe(started.pid);

    // The environment cmgr gives an instance is one cmgr itself accepts: cmgr works from inside it.
    const inside = await home.run(['create', 'inner'], {
      MCP_BASE_PORT: fake.env.MCP_BASE_PORT,
      MCP_PORT_RANGE: fake.env.MCP_PORT_RANGE,
    });
    expect(inside.code, inside.stderr).toBe(0);
    expect((await home.registry()).instances.inner?.base).toBe(base + 100);
    expect(
      await readFile(join(home.sandbox('work'), '.config/Claude/claude_desktop_config.json'), 'utf8'),
    ).not.toMatch(/cmgrPorts/);

    const again = await home.run(['start', 'work']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      new RegExp(`^cmgr: instance 'work' is already running \\(pid ${started.pid}\\)`),
    );
    expect((await home.registry()).instances.work?.process?.pid).toBe(started.pid);

    const listed = JSON.parse(await ok(home, ['list', '--json'])) as {
      instances: { running: boolean; pid: number }[];
    };
    expect(listed.instances[0]).toMatchObject({ running: true, pid: started.pid });
    expect(await readFile(join(home.sandbox('work'), '.cmgr/claude.log'), 'utf8')).toMatch(
      /fake claude \d+ ready/,
    );
  });

  it('honours --no-ports across start, and --reset-ports stays reset across starts', async () => {
    const { home } = await unsandboxedHome();
    await using _ = home;
    await ok(home, ['create', 'quiet', '--no-ports']);
    await ok(home, ['create', 'reset']);
    await ok(home, ['mcp', 'reset', '--reset-ports']);
    // cmgr's own MCP_* settings must not leak into an instance whose ports are off.
    await ok(home, ['start', 'quiet'], { MCP_PORT_RANGE: '100' });
    await ok(home, ['start', 'reset']);
    for (const name of ['quiet', 'reset']) {
      const fake = await readFakeClaude(home, name);
      expect(fake.env.CLAUDE_INSTANCE).toBe(name);
      expect(fake.env.HOME).toBe(home.sandbox(name));
      for (const key of ['FILESYSTEM_PORT', 'MY_DB_PORT', 'MCP_BASE_PORT', 'MCP_PORT_RANGE']) {
        expect(fake.env[key], `${name} ${key}`).toBeUndefined();
      }
      const config = JSON.parse(
        await readFile(join(home.sandbox(name), '.config/Claude/claude_desktop_config.json'), 'utf8'),
      );
      expect(config).toEqual(USER_CONFIG);
      expect((await home.registry()).instances[name]?.ports).toBe(false);
    }
  });

  it('stops exactly the process group of that instance: not "homework" when stopping "work"', async () => {
    const { home } = await unsandboxedHome();
    await using _ = home;
    await ok(home, ['create', 'work']);
    await ok(home, ['create', 'homework']);
    await ok(home, ['start', 'homework']);
    await ok(home, ['start', 'work']);
    const work = await readFakeClaude(home, 'work');
    const homework = await readFakeClaude(home, 'homework');

    expect(await ok(home, ['stop', 'work'])).toMatch(/stopped 'work'/);
    expect(await isAlive(work.pid)).toBe(false);
    expect(await isAlive(work.childPid)).toBe(false);
    expect(await isAlive(homework.pid)).toBe(true);
    expect(await isAlive(homework.childPid)).toBe(true);
    expect((await home.registry()).instances.work?.process).toBeUndefined();
    expect((await home.registry()).instances.homework?.process?.pid).toBe(homework.pid);

    // Stopping again is harmless, and a stopped instance can start again.
    expect(await ok(home, ['stop', 'work'])).toMatch(/was not running/);
    await ok(home, ['start', 'work']);
  });

  it('keeps track of what the launched process left in its group after it exited: list, start, stop', async () => {
    const { home } = await unsandboxedHome();
    await using _ = home;
    await ok(home, ['create', 'work']);
    await ok(home, ['start', 'work']);
    const fake = await readFakeClaude(home, 'work');
    process.kill(fake.pid, 'SIGKILL');
    while (await isAlive(fake.pid)) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await isAlive(fake.childPid)).toBe(true);

    const listed = JSON.parse(await ok(home, ['list', '--json'])) as { instances: { running: boolean }[] };
    expect(listed.instances[0]?.running).toBe(true);
    const again = await home.run(['start', 'work']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already running/);
    expect(await ok(home, ['stop', 'work'])).toMatch(/stopped 'work'/);
    expect(await isAlive(fake.childPid)).toBe(false);
  });

  it('escalates to SIGKILL after --timeout when the group ignores SIGTERM', async () => {
    const { home } = await unsandboxedHome();
    await using _ = home;
    await ok(home, ['create', 'stubborn']);
    await ok(home, ['start', 'stubborn', '--pass-env', 'FAKE_CLAUDE_IGNORE_TERM'], {
      FAKE_CLAUDE_IGNORE_TERM: '1',
    });
    const fake = await readFakeClaude(home, 'stubborn');
    expect(await ok(home, ['stop', 'stubborn', '--timeout', '300'])).toMatch(/killed 'stubborn'/);
    expect(await isAlive(fake.pid)).toBe(false);
    expect(await isAlive(fake.childPid)).toBe(false);
  });

  it('stop keeps after what it signalled when the tree comes apart: a session-leader child left behind by its exiting parent', async () => {
    // The shape a sandbox has after SIGKILL (bwrap gone before the processes inside): a process in a
    // session of its own, reachable only through its parent, outlives that parent.
    const { home } = await unsandboxedHome();
    await using _ = home;
    const child = `process.on('SIGTERM', () => {}); require('fs').writeFileSync(process.env.HOME + '/child.pid', String(process.pid)); setInterval(() => {}, 1000);`;
    const parent = `require('child_process').spawn('setsid', [process.execPath, '-e', ${JSON.stringify(child)}], { stdio: 'ignore' }); setInterval(() => {}, 1000);`;
    const script = join(home.path, 'split.cjs');
    await writeFile(script, parent);
    await ok(home, ['create', 'split']);
    await ok(home, ['start', 'split'], { CMGR_CLAUDE_COMMAND: `'${process.execPath}' '${script}'` });
    const pid = await waitForJson<number>(join(home.sandbox('split'), 'child.pid'));
    try {
      expect(await ok(home, ['stop', 'split', '--timeout', '300'])).toMatch(/killed 'split'/);
      expect(await isAlive(pid)).toBe(false);
    } finally {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
  });

  it('does not signal a recorded pid that is no longer the process cmgr started', async () => {
    const { home } = await unsandboxedHome();
    await using _ = home;
    await ok(home, ['create', 'work']);
    await ok(home, ['start', 'work']);
    const fake = await readFakeClaude(home, 'work');
    // Pretend the pid was reused: same pid, another start time.
    const file = join(home.cmgrHome, 'registry.json');
    const registry = JSON.parse(await readFile(file, 'utf8'));
    registry.instances.work.process.startTime = '1';
    await writeFile(file, JSON.stringify(registry));

    expect(await ok(home, ['stop', 'work'])).toMatch(/was not running/);
    expect(await isAlive(fake.pid)).toBe(true);
    expect((await home.registry()).instances.work?.process).toBeUndefined();
    process.kill(-fake.pid, 'SIGKILL');
  });

  it('ports: free, held by the instance, or a conflict naming the unrelated holder pid (exit 1)', async () => {
    const { home, base } = await unsandboxedHome();
    await using _ = home;
    await ok(home, ['create', 'work']);
    await ok(home, ['create', 'other']);

    const idle = JSON.parse(await ok(home, ['ports', '--json']));
    expect(idle.conflicts).toBe(0);
    expect(
      idle.instances.flatMap((i: { tools: { state: string }[] }) => i.tools.map((t) => t.state)),
    ).toEqual(['free', 'free', 'free', 'free']);

    await ok(home, ['start', 'work']);
    const fake = await readFakeClaude(home, 'work');
    const running = JSON.parse(await ok(home, ['ports', 'work', '--json']));
    const fs = running.instances[0].tools.find((t: { server: string }) => t.server === 'filesystem');
    expect(fs).toMatchObject({ port: base + 10, state: 'instance', holders: [{ pid: fake.pid }] });

    // An unrelated process (this test) listens on another instance's filesystem port.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(base + 110, '127.0.0.1', resolve));
    try {
      const conflict = await home.run(['ports', '--json']);
      expect(conflict.code).toBe(1);
      const report = JSON.parse(conflict.stdout);
      expect(report.conflicts).toBe(1);
      const other = report.instances.find((i: { name: string }) => i.name === 'other');
      expect(other.tools.find((t: { server: string }) => t.server === 'filesystem')).toMatchObject({
        port: base + 110,
        state: 'conflict',
        holders: [{ pid: process.pid }],
      });
      const human = await home.run(['ports']);
      expect(human.code).toBe(1);
      expect(human.stdout).toMatch(
        new RegExp(
          `other\\s+filesystem\\s+${base + 110}\\s+FILESYSTEM_PORT\\s+CONFLICT\\s+pid ${process.pid}`,
        ),
      );
      expect(human.stderr).toMatch(/^cmgr: 1 port conflict/);
      // Only the instance asked about counts.
      expect((await home.run(['ports', 'work'])).code).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('remove stops the instance, frees its slot and deletes its sandbox', async () => {
    const { home, base } = await unsandboxedHome();
    await using _ = home;
    await ok(home, ['create', 'gone']);
    await ok(home, ['start', 'gone']);
    const fake = await readFakeClaude(home, 'gone');
    await ok(home, ['remove', 'gone', '--yes']);
    expect(await isAlive(fake.pid)).toBe(false);
    expect((await home.registry()).instances).toEqual({});
    expect((await home.portRegistry()).allocated_ports).toEqual({});
    await ok(home, ['create', 'next']);
    expect((await home.registry()).instances.next?.base).toBe(base);
  });
});
