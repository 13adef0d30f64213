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

  it('keeps recorded bases when MCP_BASE_PORT changes; an explicit grid numbers its own slots', async () => {
    await using home = await createCmgrHome();
    const base = async (name: string, env: NodeJS.ProcessEnv = {}) => {
      const result = await home.run(['create', name], env);
      expect(result.code, result.stderr).toBe(0);
      return (await home.registry()).instances[name]?.base;
    };
    expect(await base('a')).toBe(9000);
    // Slot 1 of an explicit grid, then slot 2 of it (slot 1 is held by c with the same start and size).
    expect(await base('c', { MCP_BASE_PORT: '20000', MCP_PORT_RANGE: '200' })).toBe(20000);
    expect(await base('d', { MCP_BASE_PORT: '20000', MCP_PORT_RANGE: '200' })).toBe(20200);
    expect((await home.registry()).instances.d?.size).toBe(200);
    // MCP_BASE_PORT=9000 set explicitly: slot 1 is a's, so slot 2.
    expect(await base('e', { MCP_BASE_PORT: '9000' })).toBe(9100);
    // Unset again: the first free slot of the default grid.
    expect(await base('f')).toBe(9200);
    // Overlapping an existing range is refused (exit 2), naming the instance, its range and what to do.
    const refused = await home.run(['create', 'g'], { MCP_BASE_PORT: '20100', MCP_PORT_RANGE: '200' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "cmgr: MCP_BASE_PORT=20100 MCP_PORT_RANGE=200 would give 'g' ports 20100-20299, overlapping instance 'c' " +
        '(20000-20199); set MCP_BASE_PORT=20400 (free from there), or unset MCP_BASE_PORT and MCP_PORT_RANGE ' +
        'to take the first free slot\n',
    );
    expect((await home.registry()).instances.g).toBeUndefined();
    const { instances } = await home.registry();
    expect(Object.values(instances).map((i) => [i.name, i.base, i.size])).toEqual([
      ['a', 9000, 100],
      ['c', 20000, 200],
      ['d', 20200, 200],
      ['e', 9100, 100],
      ['f', 9200, 100],
    ]);
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

    // The file holds only the user's config plus the variables; the undo record is cmgr's own state.
    expect(JSON.parse(applied)).not.toHaveProperty('cmgrPorts');
    expect(Object.keys(JSON.parse(applied))).toEqual(Object.keys(USER_CONFIG));
    expect((await home.registry()).instances.work?.portsRecord).toMatchObject({
      instance: 'work',
      start: 9100,
    });

    expect((await home.run(['mcp', 'work', '--reset-ports'])).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(USER_CONFIG);
    expect((await home.registry()).instances.work).toMatchObject({ base: 9100, ports: false, tools: [] });
    expect((await home.registry()).instances.work?.portsRecord).toBeUndefined();
    expect((await home.portRegistry()).allocated_ports.work).toBe(9100);

    // A new instance must not take the reset instance's slot.
    await home.run(['create', 'third']);
    expect((await home.registry()).instances.third?.base).toBe(9200);

    expect((await home.run(['mcp', 'work', '--ports'])).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(applied);
  });

  it('--reset-ports gives back the user config exactly from what it finds: its record, an old cmgrPorts key, or neither', async () => {
    await using home = await createCmgrHome();
    const userConfig = {
      ...USER_CONFIG,
      mcpServers: {
        ...USER_CONFIG.mcpServers,
        // A user's own value of one of the four variables comes back only with a record.
        mine: { command: 'x', env: { MCP_PORT: '1234' } },
      },
    };
    await writeUserConfig(home, userConfig);
    await home.run(['create', 'work']);
    const file = join(home.sandbox('work'), '.config/Claude/claude_desktop_config.json');
    const applied = JSON.parse(await readFile(file, 'utf8'));
    expect(applied.mcpServers.mine.env.MCP_PORT).not.toBe('1234');
    expect(applied.mcpServers.filesystem.env).toMatchObject({ MCP_BASE_PORT: '9000', MCP_PORT_RANGE: '100' });

    const setRecord = async (record: unknown) => {
      const registryFile = join(home.cmgrHome, 'registry.json');
      const registry = JSON.parse(await readFile(registryFile, 'utf8'));
      if (record === undefined) delete registry.instances.work.portsRecord;
      else registry.instances.work.portsRecord = record;
      await writeFile(registryFile, JSON.stringify(registry));
    };
    const record = (await home.registry()).instances.work?.portsRecord;

    // An older cmgr kept the record in the file, and wrote MCP_PORT_RANGE as "start-end".
    const legacy = structuredClone(applied);
    for (const server of Object.values(legacy.mcpServers) as { env: Record<string, string> }[]) {
      server.env.MCP_PORT_RANGE = '9000-9099';
    }
    legacy.cmgrPorts = { ...(record as object), version: 1 };
    await writeFile(file, JSON.stringify(legacy));
    await setRecord(undefined);
    expect((await home.run(['mcp', 'work', '--reset-ports'])).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(userConfig);

    // --ports writes the new format; with the record lost, reset removes what is consistent with cmgr.
    expect((await home.run(['mcp', 'work', '--ports'])).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(applied);
    await setRecord(undefined);
    expect((await home.run(['mcp', 'work', '--reset-ports'])).code).toBe(0);
    const guessed = JSON.parse(await readFile(file, 'utf8'));
    const { mine: _mine, ...others } = userConfig.mcpServers;
    expect(guessed.mcpServers).toMatchObject(others);
    expect(guessed.mcpServers.mine).toEqual({ command: 'x' });

    // A damaged record is a corrupt registry.json: refused, file kept.
    await home.run(['mcp', 'work', '--ports']);
    const before = await readFile(file, 'utf8');
    await setRecord({ version: 2, instance: 'work' });
    const refused = await home.run(['mcp', 'work', '--reset-ports']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/registry\.json is corrupt \(instances\.work\.portsRecord: /);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('prints help for every command and the version', async () => {
    await using home = await createCmgrHome();
    const main = await home.run(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Exit codes:/);
    expect(main.stdout).toMatch(/MCP_PORT_RANGE=<size>/);
    expect(main.stdout).toMatch(/refusing \(exit 2\) if its range overlaps another instance's\s+range/);
    const create = await home.run(['create', '--help']);
    expect(create.stdout).toMatch(/slot n starts at MCP_BASE_PORT \+ \(n-1\) \* MCP_PORT_RANGE/);
    for (const command of ['create', 'list', 'start', 'stop', 'remove', 'mcp', 'ports']) {
      const help = await home.run([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: cmgr ${command}`));
      expect(help.stdout).toMatch(/Exit codes:\n {2}0 {2}success/);
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
      // No Claude Desktop command is configured here: the unknown instance is still what start reports.
      ['start', 'ghost'],
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
