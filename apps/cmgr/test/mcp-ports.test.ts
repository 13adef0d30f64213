import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CmgrHome, readFakeClaude, snapshot, unsandboxedHome } from './helpers.js';

/** Holds `port` on loopback until disposed: "another process" as far as cmgr can tell. */
async function hold(port: number): Promise<Server & AsyncDisposable> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return Object.assign(server, {
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

async function ok(
  home: CmgrHome,
  args: readonly string[],
  extra?: NodeJS.ProcessEnv,
): Promise<{ stdout: string; stderr: string }> {
  const result = await home.run(args, extra);
  expect(result.code, `cmgr ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

const sandboxConfig = async (home: CmgrHome, name: string) =>
  JSON.parse(
    await readFile(join(home.sandbox(name), '.config', 'Claude', 'claude_desktop_config.json'), 'utf8'),
  );

describe('cmgr mcp <instance>: list, add, remove', () => {
  it('lists servers with ports and who holds them; adds a known tool at its offset and another at the first free one; removes', async () => {
    const { home, base } = await unsandboxedHome();
    await using _ = home;
    await ok(home, ['create', 'work']);
    await using held = await hold(base + 10);
    const listed = JSON.parse((await ok(home, ['mcp', 'work', '--json'])).stdout);
    expect(
      listed.servers.map((s: { server: string; port: number; state: string }) => [s.server, s.port, s.state]),
    ).toEqual([
      ['filesystem', base + 10, 'conflict'],
      ['my-db', expect.any(Number), 'free'],
    ]);
    expect(listed.servers[0].holders[0].pid).toBe(process.pid);
    const table = (await ok(home, ['mcp', 'work'])).stdout;
    expect(table).toMatch(
      new RegExp(`filesystem\\s+${base + 10}\\s+FILESYSTEM_PORT\\s+CONFLICT\\s+pid ${process.pid}`),
    );
    await held[Symbol.asyncDispose]();

    const memory = await ok(home, [
      'mcp',
      'work',
      'add',
      'memory',
      '--',
      'npx',
      '-y',
      '@modelcontextprotocol/server-memory',
    ]);
    expect(memory.stdout).toBe(`added server 'memory' to 'work': port ${base + 30} (MEMORY_PORT)\n`);
    const other = await ok(home, ['mcp', 'work', 'add', 'notes', '--', 'notes-mcp', '--dir', '/tmp/n']);
    const myDb = (await home.registry()).instances.work!.tools.find((t) => t.server === 'my-db')!.port - base;
    const firstFree = [11, 12, 13].find((o) => o !== myDb)!;
    expect(other.stdout).toBe(`added server 'notes' to 'work': port ${base + firstFree} (NOTES_PORT)\n`);
    await ok(home, ['mcp', 'work', 'add', 'pinned', '--offset', '77', '--', 'pinned-mcp']);

    const config = await sandboxConfig(home, 'work');
    expect(config.globalShortcut).toBe('Ctrl+Space');
    expect(config.mcpServers.notes).toEqual({
      command: 'notes-mcp',
      args: ['--dir', '/tmp/n'],
      env: {
        MCP_PORT: String(base + firstFree),
        MCP_BASE_PORT: String(base),
        MCP_PORT_RANGE: '100',
        CLAUDE_INSTANCE: 'work',
      },
    });
    expect(config.mcpServers.pinned.env.MCP_PORT).toBe(String(base + 77));
    const ports = JSON.parse((await ok(home, ['ports', 'work', '--json'])).stdout).instances[0].tools;
    expect(ports.map((t: { server: string; port: number }) => [t.server, t.port - base])).toEqual(
      expect.arrayContaining([
        ['memory', 30],
        ['notes', firstFree],
        ['pinned', 77],
      ]),
    );

    await ok(home, ['mcp', 'work', 'remove', 'notes']);
    const after = await sandboxConfig(home, 'work');
    expect(Object.keys(after.mcpServers).sort()).toEqual(['filesystem', 'memory', 'my-db', 'pinned']);
    expect((await home.registry()).instances.work!.tools.map((t) => t.server)).not.toContain('notes');

    // Started, the instance gets the added servers' ports in its environment.
    await ok(home, ['start', 'work']);
    const fake = await readFakeClaude(home, 'work');
    expect(fake.env).toMatchObject({ MEMORY_PORT: String(base + 30), PINNED_PORT: String(base + 77) });
  });

  it('refuses a duplicate, a missing server and a bad --offset naming it, changing nothing', async () => {
    const { home } = await unsandboxedHome();
    await using _ = home;
    await ok(home, ['create', 'work']);
    const before = await snapshot(home.path);
    const dup = await home.run(['mcp', 'work', 'add', 'filesystem', '--', 'x']);
    expect(dup).toMatchObject({ code: 1 });
    expect(dup.stderr).toBe(
      `cmgr: server 'filesystem' already exists in 'work'; 'cmgr mcp work remove filesystem' first\n`,
    );
    const missing = await home.run(['mcp', 'work', 'remove', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no server 'nope' in 'work'/);
    const offset = await home.run(['mcp', 'work', 'add', 'x', '--offset', '10', '--', 'x']);
    expect(offset.code).toBe(2);
    expect(offset.stderr).toMatch(/--offset 10 belongs to the known tool filesystem/);
    expect(await snapshot(home.path)).toEqual(before);
  });
});

describe('ports: create skips held ranges, start warns, move', () => {
  it('create skips a range where another process holds a port the instance would use, and says which', async () => {
    const { home, base } = await unsandboxedHome();
    await using _ = home;
    await using _held = await hold(base + 10);
    const created = await ok(home, ['create', 'work']);
    expect(created.stderr).toMatch(
      new RegExp(
        `^cmgr: skipped ports ${base}-${base + 99} for 'work': held by another process \\(${base + 10} by pid ${process.pid} `,
      ),
    );
    expect((await home.registry()).instances.work?.base).toBe(base + 100);
  });

  it('start warns naming the holder; ports advises move; move keeps the sandbox and rewrites the ports', async () => {
    const { home, base } = await unsandboxedHome();
    await using _ = home;
    await ok(home, ['create', 'work']);
    const myDb = (await home.registry()).instances.work!.tools.find((t) => t.server === 'my-db')!.port;
    await writeFile(join(home.sandbox('work'), 'chats.db'), 'my chats\n');
    {
      await using _held = await hold(myDb);
      const started = await ok(home, ['start', 'work']);
      expect(started.stderr).toMatch(
        new RegExp(
          `^cmgr: port ${myDb} \\(my-db\\) is held by pid ${process.pid} \\(.*node.*\\).*'cmgr move work'`,
        ),
      );
      const ports = await home.run(['ports', 'work']);
      expect(ports.code).toBe(1);
      expect(ports.stderr).toMatch(/'cmgr move <instance>'/);
      const running = await home.run(['move', 'work']);
      expect(running.code).toBe(1);
      expect(running.stderr).toMatch(/'work' is running; 'cmgr stop work' first/);
      await ok(home, ['stop', 'work']);

      const moved = await ok(home, ['move', 'work', '--json']);
      const result = JSON.parse(moved.stdout);
      expect(result.from).toEqual({ start: base, end: base + 99 });
      expect(result.range.start).not.toBe(base);
    }
    const record = (await home.registry()).instances.work!;
    expect(record.base).not.toBe(base);
    expect((await home.portRegistry()).allocated_ports.work).toBe(record.base);
    const config = await sandboxConfig(home, 'work');
    expect(config.mcpServers.filesystem.env.MCP_PORT).toBe(String(record.base + 10));
    expect(config.mcpServers.filesystem.env.MCP_BASE_PORT).toBe(String(record.base));
    expect(config.mcpServers['my-db'].env.TOKEN).toBe('secret');
    expect(await readFile(join(home.sandbox('work'), 'chats.db'), 'utf8')).toBe('my chats\n');

    // --to: that range, refused where it overlaps another instance.
    await ok(home, ['create', 'other']);
    const otherBase = (await home.registry()).instances.other!.base;
    const overlap = await home.run(['move', 'work', '--to', String(otherBase + 50)]);
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toMatch(/overlapping 'other'/);
    const to = base + 1000;
    expect((await ok(home, ['move', 'work', '--to', String(to)])).stdout).toMatch(
      new RegExp(`^moved 'work' from \\d+-\\d+ to ${to}-${to + 99}; its sandbox is kept`),
    );
    expect((await sandboxConfig(home, 'work')).mcpServers.filesystem.env.MCP_PORT).toBe(String(to + 10));
  });
});
