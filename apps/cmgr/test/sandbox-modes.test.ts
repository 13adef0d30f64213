import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempDir } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { type CmgrHome, createCmgrHome, fakeClaudeCommand, freeBase, readFakeClaude } from './helpers.js';

// The modes around the sandbox that need no bubblewrap: none, and auto / bwrap where it is missing.

async function modesHome(): Promise<CmgrHome> {
  const base = await freeBase();
  return createCmgrHome({ MCP_BASE_PORT: String(base), CMGR_CLAUDE_COMMAND: fakeClaudeCommand });
}

async function writeSettings(home: CmgrHome, settings: unknown): Promise<void> {
  await mkdir(home.cmgrHome, { recursive: true });
  await writeFile(join(home.cmgrHome, 'config.json'), JSON.stringify(settings));
}

async function logOf(home: CmgrHome, name: string): Promise<string | undefined> {
  return readFile(join(home.sandbox(name), '.cmgr', 'claude.log'), 'utf8').catch(() => undefined);
}

describe('cmgr start --sandbox', () => {
  it('none: HOME is the sandbox folder and nothing is hidden, as before bubblewrap', async () => {
    await using home = await modesHome();
    expect((await home.run(['create', 'work'])).code).toBe(0);
    const started = await home.run(['start', 'work', '--sandbox', 'none', '--json']);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stderr).toBe('');
    const { pid, sandbox } = JSON.parse(started.stdout);
    expect(sandbox).toBe('none');
    const fake = await readFakeClaude(home, 'work');
    expect(fake.pid).toBe(pid);
    expect(fake.env.HOME).toBe(home.sandbox('work'));
    expect(fake.user).not.toBe('claude');
    const listed = JSON.parse((await home.run(['list', '--json'])).stdout);
    expect(listed.instances[0]).toMatchObject({ running: true, sandboxMode: 'none' });
    expect((await home.run(['stop', 'work'])).stdout).toMatch(/stopped 'work'/);
  });

  it('auto without bwrap on PATH: one warning saying how to install it, then starts unsandboxed', async () => {
    await using home = await modesHome();
    await using empty = await createTempDir('cmgr-nopath-');
    expect((await home.run(['create', 'work'])).code).toBe(0);
    const started = await home.run(['start', 'work'], { PATH: empty.path });
    expect(started.code, started.stderr).toBe(0);
    const lines = started.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^cmgr: 'bwrap' is not on PATH, so 'work' starts without a sandbox .*install bubblewrap \('sudo apt install bubblewrap'/,
    );
    expect((await readFakeClaude(home, 'work')).env.HOME).toBe(home.sandbox('work'));
    const listed = JSON.parse((await home.run(['list', '--json'])).stdout);
    expect(listed.instances[0]).toMatchObject({ running: true, sandboxMode: 'none' });
  });

  it('bwrap without bwrap on PATH, by flag or by config.json: exit 1, nothing started or recorded', async () => {
    await using home = await modesHome();
    await using empty = await createTempDir('cmgr-nopath-');
    expect((await home.run(['create', 'work'])).code).toBe(0);
    const registry = await readFile(join(home.cmgrHome, 'registry.json'), 'utf8');
    const byFlag = await home.run(['start', 'work', '--sandbox', 'bwrap'], { PATH: empty.path });
    expect(byFlag.code).toBe(1);
    expect(byFlag.stderr).toMatch(
      /^cmgr: --sandbox bwrap needs bubblewrap, and 'bwrap' is not on PATH; install bubblewrap .*--sandbox none\n$/,
    );
    await writeSettings(home, { sandbox: 'bwrap' });
    const bySetting = await home.run(['start', 'work'], { PATH: empty.path });
    expect(bySetting.code).toBe(1);
    // It names where the mode came from: no --sandbox was given.
    expect(bySetting.stderr).toBe(
      `cmgr: "sandbox": "bwrap" in ${join(home.cmgrHome, 'config.json')} needs bubblewrap, and 'bwrap' is not on PATH; ${byFlag.stderr.split('; ').slice(1).join('; ')}`,
    );
    // Nothing ran (it would have logged), nothing was recorded.
    expect(await logOf(home, 'work')).toBeUndefined();
    await expect(stat(join(home.sandbox('work'), 'fake-claude.json'))).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(home.cmgrHome, 'registry.json'), 'utf8')).toBe(registry);
    // A flag overrides the setting.
    const none = await home.run(['start', 'work', '--sandbox', 'none'], { PATH: empty.path });
    expect(none.code, none.stderr).toBe(0);
  });

  it('refuses an unknown mode: exit 2 for the flag, exit 3 for config.json, before anything runs', async () => {
    await using home = await modesHome();
    expect((await home.run(['create', 'work'])).code).toBe(0);
    const flag = await home.run(['start', 'work', '--sandbox', 'docker']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('cmgr: --sandbox must be one of auto, bwrap, none, got "docker"\n');
    await writeSettings(home, { sandbox: 7 });
    const setting = await home.run(['start', 'work']);
    expect(setting.code).toBe(3);
    expect(setting.stderr).toMatch(/config\.json: sandbox must be "auto", "bwrap" or "none"/);
    await writeSettings(home, { sandbox: 'jail' });
    expect((await home.run(['start', 'work'])).stderr).toMatch(
      /config\.json: sandbox must be one of .*"jail"/,
    );
    expect(await logOf(home, 'work')).toBeUndefined();
  });
});
