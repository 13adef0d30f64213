import { mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CmgrHome, createCmgrHome, type Result, snapshot } from './helpers.js';

/** Runs cmgr expecting a refusal: one `cmgr:` line on stderr, nothing on stdout, and not one file changed. */
async function expectRefused(
  home: CmgrHome,
  args: readonly string[],
  extra: NodeJS.ProcessEnv = {},
): Promise<Result> {
  const before = await snapshot(home.path);
  const result = await home.run(args, extra);
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).not.toBe(0);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter(Boolean);
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cmgr: \S/);
  expect(await snapshot(home.path)).toEqual(before);
  return result;
}

/** A home with one instance already there, so "nothing changed" covers real state files too. */
async function homeWithInstance(): Promise<CmgrHome> {
  const home = await createCmgrHome();
  expect((await home.run(['create', 'existing'])).code).toBe(0);
  return home;
}

describe('bad input: one clear line, non-zero exit, no file changed', () => {
  it.each([
    ['../x', /invalid instance name "\.\.\/x"/],
    ['a/../../b', /invalid instance name/],
    ['has space', /invalid instance name "has space"/],
    ['quo"te', /invalid instance name/],
    ["it's", /invalid instance name/],
    ['Upper', /invalid instance name "Upper"/],
    ['a'.repeat(33), /33 characters \(at most 32\)/],
    ['', /invalid instance name "": it is empty/],
    ['-dash', /invalid instance name/],
  ])('refuses the instance name %j with exit 2', async (name, message) => {
    await using home = await homeWithInstance();
    // After `--` so a name starting with "-" reaches the name check rather than the flag parser.
    for (const command of [
      ['create', '--', name],
      ['start', '--', name],
      ['stop', '--', name],
      ['mcp', '--ports', '--', name],
      ['ports', '--', name],
    ]) {
      const result = await expectRefused(home, command, { CMGR_CLAUDE_COMMAND: process.execPath });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it.each([
    [{ MCP_BASE_PORT: 'abc' }, /MCP_BASE_PORT .*"abc"/],
    [{ MCP_BASE_PORT: '70000' }, /MCP_BASE_PORT .*70000/],
    [{ MCP_BASE_PORT: '9000.5' }, /MCP_BASE_PORT/],
    [{ MCP_BASE_PORT: '65500' }, /past 65535/],
    [{ MCP_PORT_RANGE: '50' }, /MCP_PORT_RANGE .*100 or more/],
    [{ MCP_PORT_RANGE: '-1' }, /MCP_PORT_RANGE/],
    [{ MCP_BASE_PORT: '60000', MCP_PORT_RANGE: '6000' }, /past 65535/],
  ])('refuses %j with exit 2', async (env, message) => {
    await using home = await homeWithInstance();
    const result = await expectRefused(home, ['create', 'fresh'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    [
      { MCP_BASE_PORT: '9050' },
      "ports 9050-9149, overlapping instance 'existing' (9000-9099); set MCP_BASE_PORT=9100",
    ],
    [
      { MCP_BASE_PORT: '8950' },
      "ports 8950-9049, overlapping instance 'existing' (9000-9099); set MCP_BASE_PORT=9100",
    ],
    [
      { MCP_PORT_RANGE: '200' },
      "ports 9000-9199, overlapping instance 'existing' (9000-9099); set MCP_BASE_PORT=9100",
    ],
    [{ MCP_BASE_PORT: '9000', MCP_PORT_RANGE: '150' }, "ports 9000-9149, overlapping instance 'existing'"],
  ])(
    'refuses an explicit %j whose range overlaps an existing instance, with exit 2',
    async (env, message) => {
      await using home = await homeWithInstance();
      const result = await expectRefused(home, ['create', 'fresh'], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain(
        'or unset MCP_BASE_PORT and MCP_PORT_RANGE to take the first free slot',
      );
    },
  );

  it.each([
    [['create', 'x', '--bogus'], /unknown option --bogus for 'cmgr create'/],
    [['list', '--ports'], /unknown option --ports for 'cmgr list'/],
    [['stop', 'existing', '--timeout'], /--timeout needs a value/],
    [['stop', 'existing', '--timeout', 'soon'], /--timeout must be a whole number/],
    [['stop', 'existing', '--timeout', '-5'], /--timeout needs a value; .*write --timeout=<value>/],
    [['stop', 'existing', '--timeout=-5'], /--timeout must be a whole number .*"-5"/],
    [['list', '--json=yes'], /option --json takes no value/],
    [['create'], /'cmgr create' needs an instance name/],
    [['create', 'a', 'b'], /unexpected argument 'b'/],
    [['mcp', 'existing', 'frob'], /unknown action 'frob' for 'cmgr mcp'/],
    [['mcp', 'existing', 'add', 'x'], /needs the server's command after --/],
    [['mcp', 'existing', 'add', 'x', '--offset', '5', '--', 'cmd'], /--offset must be 10-99, got 5/],
    [
      ['mcp', 'existing', 'add', 'x', '--offset', '30', '--', 'cmd'],
      /--offset 30 belongs to the known tool memory/,
    ],
    [['mcp', 'existing', 'add', 'x', '--ports', '--', 'cmd'], /takes no --ports/],
    [['start', 'existing', '--pass-env', '1BAD'], /--pass-env "1BAD"/],
    [['start', 'existing', '--pass-env', 'HOME=/root'], /cannot pass HOME: cmgr sets it/],
    [['move', 'existing', '--to', 'abc'], /--to must be a port 1-65535/],
    [['logs', 'existing', '--lines', 'x'], /--lines must be a whole number/],
    [['open-url', 'https://example.com/'], /takes a claude:\/\/ link/],
    [['mcp', 'existing', '--ports', '--reset-ports'], /exactly one of --ports or --reset-ports/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--frobnicate'], /unknown option --frobnicate/],
  ])('refuses %j with exit 2', async (args, message) => {
    await using home = await homeWithInstance();
    const result = await expectRefused(home, args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    ['{ "mcpServers": { "fs": { "command": 42 } } }', /mcpServers\.fs\.command/],
    ['{ "mcpServers": { "fs": { "command": "x", "args": ["a", 3] } } }', /mcpServers\.fs\.args\[1\]/],
    ['{ "mcpServers": ', /not valid JSON/],
    // Node's parser error quotes the text, line breaks included: still one line.
    ['{\n"a": tru\n}', /not valid JSON/],
  ])(
    'refuses a corrupt user claude_desktop_config.json %s, naming the file and field',
    async (text, message) => {
      await using home = await homeWithInstance();
      const dir = join(home.path, '.config', 'Claude');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'claude_desktop_config.json'), text);
      const result = await expectRefused(home, ['create', 'fresh']);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(join(dir, 'claude_desktop_config.json'));
      expect(result.stderr).toMatch(message);
    },
  );

  it('refuses a corrupt sandbox config on mcp --ports and start, leaving it as it was', async () => {
    await using home = await homeWithInstance();
    const file = join(home.sandbox('existing'), '.config/Claude/claude_desktop_config.json');
    await writeFile(file, '{ "mcpServers": { "x": { "command": "c", "env": { "A": 1 } } } }');
    for (const args of [
      ['mcp', 'existing', '--ports'],
      ['mcp', 'existing', '--reset-ports'],
      ['start', 'existing'],
    ]) {
      const result = await expectRefused(home, args, { CMGR_CLAUDE_COMMAND: process.execPath });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/mcpServers\.x\.env\.A/);
    }
  });

  it.each([
    ['registry.json', 'not json'],
    ['registry.json', '{"version": 1, "instances": {"a": {"name": "b"}}}'],
    ['registry.json', '{"version": 7, "instances": {}}'],
    ['port_registry.json', '{"allocated_ports": {"a": "9000"}}'],
    ['port_registry.json', '{"allocated_ports": {"y": 65450}}'],
  ])('refuses a corrupt %s (%s) naming it, and keeps it', async (file, text) => {
    await using home = await homeWithInstance();
    await writeFile(join(home.cmgrHome, file), text);
    for (const args of [['create', 'fresh'], ['list'], ['ports'], ['remove', 'existing', '--yes']]) {
      const result = await expectRefused(home, args);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(join(home.cmgrHome, file));
      expect(result.stderr).toMatch(/corrupt/);
    }
  });

  it.each([
    ['a range that ends past 65535', { base: 65500 }, /base 65500 and size 100 end past port 65535/],
    ['an offset outside the range', { offsets: { files: 100 } }, /offsets\.files 100 is outside 10-99/],
    ["an offset below the tools' offsets", { offsets: { foo: 5 } }, /offsets\.foo 5 is outside 10-99/],
    [
      "a process record with pid 0 (kill(-0) is cmgr's own group)",
      { process: { pid: 0, startTime: '1', started: '2026-01-01T00:00:00.000Z' } },
      /process is not a pid record/,
    ],
  ])('refuses a registry.json with %s, naming it', async (_, change, message) => {
    await using home = await homeWithInstance();
    const registry = await home.registry();
    Object.assign(registry.instances.existing as object, change);
    await writeFile(join(home.cmgrHome, 'registry.json'), JSON.stringify(registry));
    for (const args of [['list'], ['mcp', 'existing', '--ports']]) {
      const result = await expectRefused(home, args);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(join(home.cmgrHome, 'registry.json'));
      expect(result.stderr).toMatch(message);
    }
  });

  it('refuses to start without a Claude Desktop command, or with a missing binary', async () => {
    await using home = await homeWithInstance();
    const none = await expectRefused(home, ['start', 'existing']);
    expect(none.stderr).toMatch(/set CMGR_CLAUDE_COMMAND or "claudeCommand"/);
    const missing = await expectRefused(home, ['start', 'existing'], {
      CMGR_CLAUDE_COMMAND: '/nonexistent/claude --flag',
    });
    expect(missing.stderr).toMatch(/'\/nonexistent\/claude' \(from CMGR_CLAUDE_COMMAND\) was not found/);
    await writeFile(
      join(home.cmgrHome, 'config.json'),
      JSON.stringify({ claudeCommand: 'no-such-claude-binary' }),
    );
    const fromConfig = await expectRefused(home, ['start', 'existing']);
    expect(fromConfig.stderr).toMatch(/'no-such-claude-binary' \(from .*config\.json\) was not found/);
  });

  it('never reads or writes state or a sandbox config through a symlink', async () => {
    await using home = await homeWithInstance();
    const outside = join(home.path, 'outside.json');
    await writeFile(outside, '{"mcpServers": {}}');
    const config = join(home.sandbox('existing'), '.config/Claude/claude_desktop_config.json');
    await rename(config, `${config}.real`);
    await symlink(outside, config);
    const viaConfig = await expectRefused(home, ['mcp', 'existing', '--ports']);
    expect(viaConfig.stderr).toMatch(/claude_desktop_config\.json is a symbolic link/);

    const registry = join(home.cmgrHome, 'registry.json');
    await rename(registry, join(home.path, 'registry-elsewhere.json'));
    await symlink(join(home.path, 'registry-elsewhere.json'), registry);
    const viaState = await expectRefused(home, ['create', 'fresh']);
    expect(viaState.stderr).toMatch(/registry\.json is a symbolic link/);
    expect(await readFile(outside, 'utf8')).toBe('{"mcpServers": {}}');
  });

  it('never writes a sandbox config through a symlinked directory inside the sandbox', async () => {
    await using home = await homeWithInstance();
    const dotConfig = join(home.sandbox('existing'), '.config');
    // A server without its port yet: both commands below would write the config.
    await writeFile(
      join(dotConfig, 'Claude/claude_desktop_config.json'),
      '{"mcpServers": {"filesystem": {"command": "npx", "args": ["-y", "server-filesystem"]}}}',
    );
    const elsewhere = join(home.path, 'elsewhere');
    await rename(dotConfig, elsewhere);
    await symlink(elsewhere, dotConfig);
    for (const args of [
      ['mcp', 'existing', '--ports'],
      ['start', 'existing'],
    ]) {
      const result = await expectRefused(home, args, { CMGR_CLAUDE_COMMAND: process.execPath });
      expect(result.stderr).toMatch(/\.config is a symbolic link/);
    }
  });

  it.each([
    ['a file', (root: string) => join(root, 'not-a-dir'), /CMGR_HOME .*not-a-dir is not a directory/],
    ['under /proc', () => '/proc/cmgr-test-home', /cannot mkdir \/proc\/cmgr-test-home \(ENOENT/],
  ])('explains a CMGR_HOME that is %s, in one line, without hanging', async (_, home, message) => {
    await using root = await createCmgrHome();
    await writeFile(join(root.path, 'not-a-dir'), '');
    const result = await expectRefused(root, ['create', 'a'], { CMGR_HOME: home(root.path) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/please report/);
  });
});
