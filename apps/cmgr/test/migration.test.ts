import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CmgrHome, createCmgrHome, snapshot } from './helpers.js';

// The bash cmgr's files, byte for byte as it writes them: `echo '{"instances": {}}' >` on every run, then
// jq's 2-space output for each change (add_instance, allocate_port_range).
const FIRST_RUN = '{"instances": {}}\n';
const PORTS_FIRST_RUN = '{"allocated_ports": {}}\n';

function bashRegistry(home: CmgrHome): string {
  return `{
  "instances": {
    "work": {
      "name": "work",
      "sandbox_path": "${home.sandbox('work')}",
      "created_date": "2025-05-02T09:12:40+02:00",
      "build_format": "deb",
      "running": true
    },
    "personal": {
      "name": "personal",
      "sandbox_path": "${home.sandbox('personal')}",
      "created_date": "2025-05-03T10:00:00+02:00",
      "build_format": "appimage",
      "running": false
    }
  }
}
`;
}

const BASH_PORTS = `{
  "allocated_ports": {
    "work": 9100,
    "personal": 9200
  }
}
`;

async function bashHome(registry: (home: CmgrHome) => string, ports?: string): Promise<CmgrHome> {
  const home = await createCmgrHome();
  await mkdir(home.cmgrHome, { recursive: true });
  await writeFile(join(home.cmgrHome, 'registry.json'), registry(home));
  if (ports !== undefined) await writeFile(join(home.cmgrHome, 'port_registry.json'), ports);
  return home;
}

describe('adopting the bash cmgr', () => {
  it('lists its instances with their bases, keeps their sandboxes untouched and its files as backups', async () => {
    await using home = await bashHome(bashRegistry, BASH_PORTS);
    // A sandbox as the bash cmgr leaves it: a config with its own ports, a login, an installed app.
    for (const name of ['work', 'personal']) {
      const claude = join(home.sandbox(name), '.config', 'Claude');
      await mkdir(claude, { recursive: true });
      await writeFile(
        join(claude, 'claude_desktop_config.json'),
        JSON.stringify({ mcpServers: { filesystem: { command: 'npx', env: { MCP_PORT: '9110' } } } }),
      );
      await writeFile(join(claude, 'session.json'), '{"logged-in": true}');
    }
    const before = await snapshot(home.sandboxes);

    const listed = await home.run(['list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toMatch(/adopted the bash cmgr's state: 2 instance\(s\)/);
    const { instances } = JSON.parse(listed.stdout);
    expect(instances.map((i: { name: string; range: { start: number } }) => [i.name, i.range.start])).toEqual(
      [
        ['work', 9100],
        ['personal', 9200],
      ],
    );
    expect(instances[0]).toMatchObject({
      sandbox: home.sandbox('work'),
      running: false,
      created: '2025-05-02T07:12:40.000Z',
    });
    expect(await snapshot(home.sandboxes)).toEqual(before);

    // Kept beside, byte for byte; from now on our format.
    expect(await readFile(join(home.cmgrHome, 'registry.json.bash-cmgr.bak'), 'utf8')).toBe(
      bashRegistry(home),
    );
    expect(await readFile(join(home.cmgrHome, 'port_registry.json.bash-cmgr.bak'), 'utf8')).toBe(BASH_PORTS);
    const registry = await home.registry();
    expect(registry.version).toBe(1);
    expect(registry.instances.work).toMatchObject({ base: 9100, size: 100, sandbox: home.sandbox('work') });
    expect(await home.portRegistry()).toEqual({ allocated_ports: { work: 9100, personal: 9200 } });

    // Said once: the next run reads our format.
    const again = await home.run(['list']);
    expect(again.stderr).toBe('');
    // And it works as ours: a new instance takes the first free slot around them.
    expect((await home.run(['create', 'next'])).code).toBe(0);
    expect((await home.registry()).instances.next?.base).toBe(9000);
    expect((await readdir(home.cmgrHome)).filter((f) => f.includes('.bak')).sort()).toEqual([
      'port_registry.json.bash-cmgr.bak',
      'registry.json.bash-cmgr.bak',
    ]);
  });

  it('adopts the file it writes on every run, {"instances": {}}, for any command', async () => {
    await using home = await bashHome(() => FIRST_RUN, PORTS_FIRST_RUN);
    const created = await home.run(['create', 'work']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toMatch(/adopted the bash cmgr's state: 0 instance\(s\)/);
    expect((await home.registry()).instances.work?.base).toBe(9000);
    expect(await readFile(join(home.cmgrHome, 'registry.json.bash-cmgr.bak'), 'utf8')).toBe(FIRST_RUN);
  });

  it('an instance without a recorded base gets the first free slot; a name cmgr cannot use is left out, said', async () => {
    await using home = await bashHome(
      (h) =>
        `{"instances": {"solo": {"name": "solo", "sandbox_path": "${h.sandbox('solo')}", "created_date": "2025-05-02T09:12:40+02:00", "build_format": "deb", "running": false}, "My Work": {"name": "My Work", "sandbox_path": "${h.sandbox('My Work')}", "created_date": "x", "build_format": "deb", "running": false}}}\n`,
    );
    const listed = await home.run(['list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toMatch(/left out 'My Work'/);
    expect(JSON.parse(listed.stdout).instances.map((i: { name: string }) => i.name)).toEqual(['solo']);
    expect((await home.portRegistry()).allocated_ports).toEqual({ solo: 9000 });
  });

  it("a file that is neither ours nor the bash cmgr's stays a corrupt-file error, nothing written", async () => {
    for (const text of [
      '{"instances": {"a": {"name": "a"}}}',
      '{"instances": {}, "foo": 1, "version": 2}',
      '[]',
    ]) {
      await using home = await bashHome(() => text);
      const result = await home.run(['list']);
      expect(result.code, text).toBe(3);
      expect(result.stderr).toMatch(/registry\.json is corrupt/);
      expect(await readFile(join(home.cmgrHome, 'registry.json'), 'utf8')).toBe(text);
      expect((await readdir(home.cmgrHome)).filter((f) => f.includes('.bak'))).toEqual([]);
    }
  });
});
