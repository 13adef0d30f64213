import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCmgrHome, USER_CONFIG } from './helpers.js';

async function writeUserConfig(home: { path: string }, config: unknown): Promise<string> {
  const dir = join(home.path, '.config', 'Claude');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'claude_desktop_config.json');
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

describe('cmgr create / list / remove (no ports bound)', () => {
  it('gives three instances the default ranges 9000, 9100, 9200 and records them in both state files', async () => {
    await using home = await createCmgrHome();
    for (const name of ['a', 'b', 'c']) expect((await home.run(['create', name])).code).toBe(0);
    const listed = await home.run(['list', '--json']);
    expect(listed.code).toBe(0);
    const { instances } = JSON.parse(listed.stdout) as {
      instances: { name: string; range: { start: number; end: number } }[];
    };
    expect(instances.map((i) => [i.name, i.range.start, i.range.end])).toEqual([
      ['a', 9000, 9099],
      ['b', 9100, 9199],
      ['c', 9200, 9299],
    ]);
    expect(await home.portRegistry()).toEqual({ allocated_ports: { a: 9000, b: 9100, c: 9200 } });
    const registry = await home.registry();
    expect(registry.version).toBe(1);
    expect(Object.keys(registry.instances)).toEqual(['a', 'b', 'c']);
    for (const file of ['registry.json', 'port_registry.json']) {
      expect((await stat(join(home.cmgrHome, file))).mode & 0o777).toBe(0o600);
    }
  });

  it('reuses the slot of a removed instance for the next create', async () => {
    await using home = await createCmgrHome();
    for (const name of ['a', 'b', 'c']) await home.run(['create', name]);
    const removed = await home.run(['remove', 'b', '--yes']);
    expect(removed).toMatchObject({ code: 0 });
    await expect(stat(home.sandbox('b'))).rejects.toThrow(/ENOENT/);
    expect((await home.portRegistry()).allocated_ports).toEqual({ a: 9000, c: 9200 });
    await home.run(['create', 'd']);
    expect((await home.registry()).instances.d?.base).toBe(9100);
    expect((await home.portRegistry()).allocated_ports).toEqual({ a: 9000, c: 9200, d: 9100 });
  });

  it('keeps recorded bases when MCP_BASE_PORT changes, and never overlaps them', async () => {
    await using home = await createCmgrHome();
    await home.run(['create', 'a']); // 9000-9099
    await home.run(['create', 'b'], { MCP_BASE_PORT: '9050' }); // 9050-9149 would overlap a: next slot
    await home.run(['create', 'c'], { MCP_BASE_PORT: '20000', MCP_PORT_RANGE: '200' });
    const { instances } = await home.registry();
    expect([instances.a?.base, instances.b?.base, instances.c?.base]).toEqual([9000, 9150, 20000]);
    expect(instances.c?.size).toBe(200);
  });

  it('copies the user config into the sandbox with ports merged in, and leaves the original alone', async () => {
    await using home = await createCmgrHome();
    const userFile = await writeUserConfig(home, USER_CONFIG);
    const before = await readFile(userFile, 'utf8');
    expect((await home.run(['create', 'work'])).code).toBe(0);
    expect(await readFile(userFile, 'utf8')).toBe(before);
    const copy = JSON.parse(
      await readFile(join(home.sandbox('work'), '.config/Claude/claude_desktop_config.json'), 'utf8'),
    );
    expect(copy.globalShortcut).toBe('Ctrl+Space');
    expect(copy.mcpServers.filesystem.env).toMatchObject({
      MCP_PORT: '9010',
      MCP_BASE_PORT: '9000',
      CLAUDE_INSTANCE: 'work',
    });
    expect(copy.mcpServers['my-db'].env.TOKEN).toBe('secret');
    expect(copy.mcpServers['my-db'].args).toEqual(['--verbose']);
  });

  it('writes a minimal config when the user has none, and leaves it untouched with --no-ports', async () => {
    await using home = await createCmgrHome();
    expect((await home.run(['create', 'bare', '--no-ports'])).code).toBe(0);
    const file = join(home.sandbox('bare'), '.config/Claude/claude_desktop_config.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ mcpServers: {} });
    expect((await home.registry()).instances.bare?.ports).toBe(false);
  });

  it('--reset-ports keeps the user servers and keys, keeps the slot, and --ports restores the same ports', async () => {
    await using home = await createCmgrHome();
    await writeUserConfig(home, USER_CONFIG);
    await home.run(['create', 'first']);
    await home.run(['create', 'work']);
    const file = join(home.sandbox('work'), '.config/Claude/claude_desktop_config.json');
    const applied = await readFile(file, 'utf8');

    expect((await home.run(['mcp', 'work', '--reset-ports'])).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(USER_CONFIG);
    expect((await home.registry()).instances.work).toMatchObject({ base: 9100, ports: false, tools: [] });
    expect((await home.portRegistry()).allocated_ports.work).toBe(9100);

    // A new instance must not take the reset instance's slot.
    await home.run(['create', 'third']);
    expect((await home.registry()).instances.third?.base).toBe(9200);

    expect((await home.run(['mcp', 'work', '--ports'])).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(applied);
  });

  it('prints help for every command and the version', async () => {
    await using home = await createCmgrHome();
    const main = await home.run(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Exit codes:/);
    for (const command of ['create', 'list', 'start', 'stop', 'remove', 'mcp', 'ports']) {
      const help = await home.run([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: cmgr ${command}`));
    }
    const version = await home.run(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses to remove without --yes when stdin is not a terminal, changing nothing', async () => {
    await using home = await createCmgrHome();
    await home.run(['create', 'keep']);
    const result = await home.run(['remove', 'keep']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/pass --yes/);
    expect((await stat(home.sandbox('keep'))).isDirectory()).toBe(true);
    expect((await home.registry()).instances.keep).toBeDefined();
  });

  it('reports an unknown instance with exit 4', async () => {
    await using home = await createCmgrHome();
    for (const args of [
      ['stop', 'ghost'],
      ['remove', 'ghost', '--yes'],
      ['ports', 'ghost'],
      ['mcp', 'ghost', '--ports'],
    ]) {
      const result = await home.run(args);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/^cmgr: no instance named 'ghost'/);
    }
  });
});
