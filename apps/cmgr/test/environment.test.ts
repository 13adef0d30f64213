import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CmgrHome,
  createCmgrHome,
  fakeClaude,
  freeBase,
  readFakeClaude,
  USER_CONFIG,
} from './helpers.js';

// What an unsandboxed instance gets (`--sandbox none`), and how Claude Desktop is found. The same in
// bubblewrap has test/sandbox.test.ts.

/** A `claude-desktop` on a PATH folder of its own that runs the fake, as the deb's launcher would. */
async function installFake(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'claude-desktop');
  await writeFile(file, `#!/bin/sh\nexec '${process.execPath}' '${fakeClaude}' "$@"\n`);
  await chmod(file, 0o755);
  return file;
}

async function noneHome(extra: NodeJS.ProcessEnv = {}): Promise<{ home: CmgrHome; base: number }> {
  const base = await freeBase();
  const home = await createCmgrHome({ MCP_BASE_PORT: String(base), ...extra });
  const dir = join(home.path, '.config', 'Claude');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'claude_desktop_config.json'), JSON.stringify(USER_CONFIG));
  return { home, base };
}

async function settings(home: CmgrHome, value: unknown): Promise<void> {
  await mkdir(home.cmgrHome, { recursive: true });
  await writeFile(join(home.cmgrHome, 'config.json'), JSON.stringify(value));
}

describe('cmgr start --sandbox none: environment', () => {
  it('starts from an empty environment: allowlist, passEnv of config.json and of the instance, --pass-env, its own XDG folders', async () => {
    const { home, base } = await noneHome();
    await using _ = home;
    const bin = join(home.path, 'bin');
    await installFake(bin);
    await settings(home, {
      sandbox: 'none',
      passEnv: ['GITHUB_TOKEN', 'LOG_LEVEL=info'],
      instances: { work: { passEnv: ['LOG_LEVEL=debug'] }, other: { passEnv: ['OTHER_ONLY=1'] } },
    });
    expect((await home.run(['create', 'work'])).code).toBe(0);
    const started = await home.run(['start', 'work', '--pass-env', 'EXTRA=yes', '--json'], {
      PATH: `${bin}:${process.env.PATH}`,
      SECRET_TOKEN: 'hunter2',
      AWS_SECRET_ACCESS_KEY: 'aws',
      GITHUB_TOKEN: 'gh-token',
      XDG_CONFIG_HOME: join(home.path, '.config'),
      XDG_DATA_HOME: join(home.path, '.local', 'share'),
      DISPLAY: ':99',
      XDG_SESSION_TYPE: 'x11',
      LC_TIME: 'C',
      TZ: 'UTC',
    });
    expect(started.code, started.stderr).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({
      sandbox: 'none',
      command: join(bin, 'claude-desktop'),
    });
    const fake = await readFakeClaude(home, 'work');
    const sandbox = home.sandbox('work');
    expect(fake.env.SECRET_TOKEN).toBeUndefined();
    expect(fake.env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(fake.env.OTHER_ONLY).toBeUndefined();
    expect(fake.env).toMatchObject({
      HOME: sandbox,
      XDG_CONFIG_HOME: join(sandbox, '.config'),
      XDG_DATA_HOME: join(sandbox, '.local', 'share'),
      XDG_CACHE_HOME: join(sandbox, '.cache'),
      XDG_STATE_HOME: join(sandbox, '.local', 'state'),
      GITHUB_TOKEN: 'gh-token',
      LOG_LEVEL: 'debug',
      EXTRA: 'yes',
      DISPLAY: ':99',
      LC_TIME: 'C',
      TZ: 'UTC',
      CLAUDE_INSTANCE: 'work',
      MCP_BASE_PORT: String(base),
      FILESYSTEM_PORT: String(base + 10),
    });
    // The sh of the launcher script adds PWD (and dash nothing else).
    const known = ['PATH', 'HOME', 'USER', 'LOGNAME', 'DISPLAY', 'XDG_SESSION_TYPE', 'LC_TIME', 'TZ'];
    const own = ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME', 'CLAUDE_INSTANCE'];
    const ports = ['MCP_BASE_PORT', 'MCP_PORT_RANGE', 'FILESYSTEM_PORT', 'MY_DB_PORT'];
    const passed = ['GITHUB_TOKEN', 'LOG_LEVEL', 'EXTRA'];
    expect(
      Object.keys(fake.env)
        .filter((key) => !['PWD', 'SHLVL', 'OLDPWD', '_'].includes(key))
        .sort(),
    ).toEqual([...known, ...own, ...ports, ...passed].sort());
    // No --no-sandbox outside bubblewrap; the session's platform; the instance's window class.
    expect(fake.args).toEqual(['--ozone-platform=x11', '--class=cmgr-work']);
    expect((await home.run(['stop', 'work'])).code).toBe(0);
  });

  it('two instances keep two profiles: the XDG folders of each are its own', async () => {
    const { home } = await noneHome();
    await using _ = home;
    const bin = join(home.path, 'bin');
    await installFake(bin);
    await settings(home, { sandbox: 'none' });
    const env = { PATH: `${bin}:${process.env.PATH}`, XDG_CONFIG_HOME: join(home.path, '.config') };
    for (const name of ['a', 'b']) {
      expect((await home.run(['create', name])).code).toBe(0);
      expect((await home.run(['start', name], env)).code).toBe(0);
    }
    const [a, b] = [await readFakeClaude(home, 'a'), await readFakeClaude(home, 'b')];
    expect(a.env.XDG_CONFIG_HOME).toBe(join(home.sandbox('a'), '.config'));
    expect(b.env.XDG_CONFIG_HOME).toBe(join(home.sandbox('b'), '.config'));
  });

  it('start --help says what passes', async () => {
    await using home = await createCmgrHome();
    const help = (await home.run(['start', '--help'])).stdout;
    expect(help).toMatch(/What passes into the instance/);
    for (const word of [
      'PATH',
      'LC_*',
      'WAYLAND_DISPLAY',
      'DBUS_SESSION_BUS_ADDRESS',
      '--pass-env',
      'passEnv',
    ]) {
      expect(help).toContain(word);
    }
  });
});

describe('finding Claude Desktop', () => {
  it('takes claude-desktop on PATH when nothing is configured; CMGR_CLAUDE_COMMAND and config.json come first', async () => {
    const { home } = await noneHome();
    await using _ = home;
    const bin = join(home.path, 'bin');
    const other = join(home.path, 'other');
    await installFake(bin);
    const configured = await installFake(other);
    await settings(home, { sandbox: 'none' });
    expect((await home.run(['create', 'work'])).code).toBe(0);
    const path = `${bin}:${process.env.PATH}`;
    const doctor = JSON.parse((await home.run(['doctor', '--json'], { PATH: path })).stdout);
    const claude = doctor.findings.find((f: { check: string }) => f.check === 'Claude Desktop');
    expect(claude).toMatchObject({ status: 'ok', detail: `${join(bin, 'claude-desktop')} (from PATH)` });
    await settings(home, { sandbox: 'none', claudeCommand: [configured] });
    const fromConfig = await home.run(['start', 'work', '--json'], { PATH: path });
    expect(JSON.parse(fromConfig.stdout).command).toBe(configured);
    expect((await home.run(['stop', 'work'])).code).toBe(0);
  });

  it('not found: one line saying where it looked and how to set it, exit 1, nothing started', async () => {
    const { home } = await noneHome();
    await using _ = home;
    await settings(home, { sandbox: 'none' });
    expect((await home.run(['create', 'work'])).code).toBe(0);
    const result = await home.run(['start', 'work'], { PATH: '/usr/bin:/bin' });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^cmgr: Claude Desktop not found: looked at CMGR_CLAUDE_COMMAND and "claudeCommand" in .*config\.json .*'claude-desktop' on PATH, .*\/usr\/bin\/claude-desktop.*AppImage.*set CMGR_CLAUDE_COMMAND or "claudeCommand"/,
    );
    expect((await home.registry()).instances.work?.process).toBeUndefined();
  });
});
