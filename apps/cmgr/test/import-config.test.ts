import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CmgrHome, createCmgrHome, snapshot, USER_CONFIG } from './helpers.js';

// `cmgr import-config`: from the user's own config and from another instance. No process is started.

const configOf = (home: CmgrHome, name: string): string =>
  join(home.sandbox(name), '.config', 'Claude', 'claude_desktop_config.json');

async function readConfig(home: CmgrHome, name: string) {
  return JSON.parse(await readFile(configOf(home, name), 'utf8'));
}

async function writeUserConfig(home: CmgrHome, config: unknown): Promise<string> {
  const dir = join(home.path, '.config', 'Claude');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'claude_desktop_config.json');
  await writeFile(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return file;
}

async function ok(home: CmgrHome, args: readonly string[]): Promise<string> {
  const result = await home.run(args);
  expect(result.code, `cmgr ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

/** Every number in a config that lies in a range. */
const portsIn = (config: unknown, start: number, end: number): number[] =>
  (JSON.stringify(config).match(/\d+/g) ?? []).map(Number).filter((n) => n >= start && n <= end);

describe('cmgr import-config', () => {
  it("from the user's config: same names replaced, others kept, other keys untouched, this instance's ports", async () => {
    await using home = await createCmgrHome();
    await writeUserConfig(home, USER_CONFIG);
    await ok(home, ['create', 'work']);
    // The instance's own changes: a key and a server of its own.
    const mine = await readConfig(home, 'work');
    mine.theme = 'dark';
    mine.mcpServers['local-only'] = { command: 'local-mcp' };
    await writeFile(configOf(home, 'work'), JSON.stringify(mine, null, 2));
    // The user's config moves on: filesystem serves another folder, memory is new.
    await writeUserConfig(home, {
      globalShortcut: 'Alt+Space',
      mcpServers: {
        filesystem: {
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/projects'],
        },
        memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
      },
    });

    const report = JSON.parse(await ok(home, ['import-config', 'work', '--json']));
    expect(report).toMatchObject({
      name: 'work',
      from: null,
      source: join(home.path, '.config', 'Claude', 'claude_desktop_config.json'),
      added: ['memory'],
      replaced: ['filesystem'],
      kept: ['my-db', 'local-only'],
      ports: true,
    });
    const config = await readConfig(home, 'work');
    // Keys that are not mcpServers stay the instance's.
    expect(config.globalShortcut).toBe('Ctrl+Space');
    expect(config.theme).toBe('dark');
    expect(Object.keys(config.mcpServers)).toEqual(['filesystem', 'my-db', 'local-only', 'memory']);
    expect(config.mcpServers.filesystem.args).toEqual([
      '-y',
      '@modelcontextprotocol/server-filesystem',
      '/home/me/projects',
    ]);
    expect(config.mcpServers['local-only'].command).toBe('local-mcp');
    expect(config.mcpServers['my-db'].env.TOKEN).toBe('secret');
    expect(config.mcpServers.filesystem.env).toMatchObject({ MCP_PORT: '9010', CLAUDE_INSTANCE: 'work' });
    expect(config.mcpServers.memory.env).toMatchObject({ MCP_PORT: '9030', MCP_BASE_PORT: '9000' });
    const tools = (await home.registry()).instances.work!.tools;
    expect(tools.find((t) => t.server === 'memory')?.port).toBe(9030);
    expect((await stat(configOf(home, 'work'))).mode & 0o777).toBe(0o600);
  });

  it("from another instance: none of that instance's ports or variables stay", async () => {
    await using home = await createCmgrHome();
    await writeUserConfig(home, USER_CONFIG);
    await ok(home, ['create', 'work']);
    await ok(home, ['create', 'other']);
    const other = await readConfig(home, 'other');
    other.mcpServers.extra = { command: 'extra-mcp', args: ['--flag'] };
    await writeFile(configOf(home, 'other'), JSON.stringify(other, null, 2));
    await ok(home, ['mcp', 'other', '--ports']);
    const source = await readConfig(home, 'other');
    expect(portsIn(source, 9100, 9199).length).toBeGreaterThan(0);

    const human = await ok(home, ['import-config', 'work', 'other']);
    expect(human).toMatch(
      /^imported 3 server\(s\) into 'work' from 'other': 1 added, 2 replaced, 0 kept; ports applied/,
    );
    const config = await readConfig(home, 'work');
    expect(Object.keys(config.mcpServers)).toEqual(['filesystem', 'my-db', 'extra']);
    expect(config.mcpServers.extra).toMatchObject({ command: 'extra-mcp', args: ['--flag'] });
    expect(portsIn(config, 9100, 9199)).toEqual([]);
    expect(JSON.stringify(config)).not.toMatch(/"other"/);
    for (const server of Object.values(config.mcpServers) as { env: Record<string, string> }[]) {
      expect(Number(server.env.MCP_PORT)).toBeGreaterThanOrEqual(9010);
      expect(Number(server.env.MCP_PORT)).toBeLessThanOrEqual(9099);
      expect(server.env.CLAUDE_INSTANCE).toBe('work');
    }
    // The source is only read.
    expect(await readConfig(home, 'other')).toEqual(source);
  });

  it('into an instance with ports off: servers imported, no ports written', async () => {
    await using home = await createCmgrHome();
    await writeUserConfig(home, USER_CONFIG);
    await ok(home, ['create', 'quiet', '--no-ports']);
    await writeUserConfig(home, { mcpServers: { memory: { command: 'npx', args: ['x'] } } });
    await ok(home, ['import-config', 'quiet']);
    const config = await readConfig(home, 'quiet');
    expect(config.mcpServers.memory).toEqual({ command: 'npx', args: ['x'] });
    expect(JSON.stringify(config)).not.toMatch(/MCP_PORT/);
  });

  it('a bad source is exit 3 naming the file and field, and nothing changes; unknown names are exit 4', async () => {
    await using home = await createCmgrHome();
    await writeUserConfig(home, USER_CONFIG);
    await ok(home, ['create', 'work']);
    const file = await writeUserConfig(home, { mcpServers: { fs: { command: 'x', args: ['a', 3] } } });
    const before = await snapshot(home.path);
    const bad = await home.run(['import-config', 'work']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toBe(
      `cmgr: ${file}: mcpServers.fs.args[1]: expected string, got 3; fix that field and try again\n`,
    );
    await writeUserConfig(home, '{ "mcpServers": ');
    const notJson = await home.run(['import-config', 'work']);
    expect(notJson.code).toBe(3);
    expect(notJson.stderr).toMatch(new RegExp(`^cmgr: ${file}: the config is not valid JSON`));
    // Everything but the user's file (rewritten by this test) is as it was: state and the instance's config.
    const after = await snapshot(home.path);
    const userKey = file.slice(home.path.length);
    for (const key of Object.keys(before)) if (key !== userKey) expect(after[key], key).toBe(before[key]);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect((await home.run(['import-config', 'work', 'ghost'])).code).toBe(4);
    expect((await home.run(['import-config', 'ghost'])).code).toBe(4);
    const self = await home.run(['import-config', 'work', 'work']);
    expect(self.code).toBe(2);
    expect((await home.run(['import-config'])).code).toBe(2);
  });
});
