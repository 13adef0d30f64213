import { spawn } from 'node:child_process';
import { appendFile, mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bin,
  type CmgrHome,
  createCmgrHome,
  fakeClaudeCommand,
  freeBase,
  readFakeClaude,
} from './helpers.js';

async function noneHome(): Promise<CmgrHome> {
  const home = await createCmgrHome({
    MCP_BASE_PORT: String(await freeBase()),
    CMGR_CLAUDE_COMMAND: fakeClaudeCommand,
  });
  await mkdir(home.cmgrHome, { recursive: true });
  await writeFile(join(home.cmgrHome, 'config.json'), JSON.stringify({ sandbox: 'none' }));
  return home;
}

async function ok(home: CmgrHome, args: readonly string[], extra?: NodeJS.ProcessEnv) {
  const result = await home.run(args, extra);
  expect(result.code, `cmgr ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

describe('cmgr desktop', () => {
  it('writes cmgr-<instance>.desktop with its name, start command, icon and window class; remove deletes it', async () => {
    await using home = await noneHome();
    await ok(home, ['create', 'work']);
    const data = join(home.path, 'data');
    const written = await ok(home, ['desktop', 'work'], { XDG_DATA_HOME: data });
    const file = join(data, 'applications', 'cmgr-work.desktop');
    expect(written.stdout).toContain(file);
    const entry = await readFile(file, 'utf8');
    const lines = entry.split('\n');
    expect(lines[0]).toBe('[Desktop Entry]');
    expect(lines).toContain('Type=Application');
    expect(lines.find((l) => l.startsWith('Name='))).toMatch(/work/);
    expect(lines.find((l) => l.startsWith('Exec='))).toMatch(
      /^Exec=env CMGR_HOME=\S+ CMGR_SANDBOXES=\S+ \S*node\S* \S+cmgr\.js start work$/,
    );
    expect(lines).toContain('Icon=claude-desktop');
    expect(lines).toContain('StartupWMClass=cmgr-work');
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    // The launcher's class is the one the app is started with.
    await ok(home, ['start', 'work']);
    expect((await readFakeClaude(home, 'work')).args).toContain('--class=cmgr-work');

    // Without XDG_DATA_HOME: ~/.local/share/applications.
    await ok(home, ['desktop', 'work']);
    const fallback = join(home.path, '.local', 'share', 'applications', 'cmgr-work.desktop');
    await stat(fallback);
    expect((await ok(home, ['desktop', 'work', '--remove'])).stdout).toMatch(
      /removed the launcher of 'work'/,
    );
    await expect(stat(fallback)).rejects.toThrow(/ENOENT/);

    await ok(home, ['desktop', 'work']);
    expect((await ok(home, ['remove', 'work', '--yes'])).stdout).toMatch(/removed 'work' and its launcher/);
    await expect(stat(fallback)).rejects.toThrow(/ENOENT/);
    expect((await home.run(['desktop', 'work'])).code).toBe(4);
  });

  it('login marks only one instance and registers the claude:// handler (with xdg-mime where it exists)', async () => {
    await using home = await noneHome();
    await ok(home, ['create', 'work']);
    await ok(home, ['create', 'personal']);
    await ok(home, ['login', 'personal']);
    await ok(home, ['login', 'work']);
    const registry = await home.registry();
    expect(registry.instances.work).toHaveProperty('loginPending');
    expect(registry.instances.personal).not.toHaveProperty('loginPending');
    const handler = await readFile(
      join(home.path, '.local/share/applications/cmgr-open-url.desktop'),
      'utf8',
    );
    expect(handler).toMatch(/^MimeType=x-scheme-handler\/claude;$/m);
    expect(handler).toMatch(/^Exec=.* open-url %u$/m);
    // Without xdg-mime on PATH, it says what to do by hand.
    const noMime = await ok(home, ['login', 'work'], { PATH: '/nonexistent' });
    expect(noMime.stderr).toMatch(/xdg-mime is not on PATH/);
  });

  it('open-url without a marked instance or any started one: exit 1 saying what to do', async () => {
    await using home = await noneHome();
    await ok(home, ['create', 'work']);
    const result = await home.run(['open-url', 'claude://login']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/run 'cmgr login <instance>' first/);
  });
});

/** `cmgr logs <args> --follow` running: what it printed so far, and a wait for a text to show. */
function followLogs(home: { env: NodeJS.ProcessEnv }, args: readonly string[]) {
  const follower = spawn(process.execPath, [bin, 'logs', ...args, '--follow'], {
    env: home.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let seen = '';
  let waiting: (() => void) | undefined;
  follower.stdout.on('data', (chunk: Buffer) => {
    seen += chunk.toString('utf8');
    waiting?.();
  });
  return {
    seen: () => seen,
    saw: (text: string) =>
      new Promise<void>((resolve, reject) => {
        waiting = () => {
          if (seen.includes(text)) resolve();
        };
        follower.once('exit', (code) => reject(new Error(`logs --follow exited ${code}: ${seen}`)));
        waiting();
      }),
    [Symbol.dispose]: () => follower.kill('SIGKILL'),
  };
}

describe('cmgr logs', () => {
  it('prints the output, the last N lines, and follows what is written', async () => {
    await using home = await noneHome();
    await ok(home, ['create', 'work']);
    const none = await ok(home, ['logs', 'work']);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/'work' has no output yet/);
    const log = join(home.sandbox('work'), '.cmgr', 'claude.log');
    await mkdir(join(home.sandbox('work'), '.cmgr'), { recursive: true });
    await writeFile(log, 'one\ntwo\nthree\n');
    expect((await ok(home, ['logs', 'work'])).stdout).toBe('one\ntwo\nthree\n');
    expect((await ok(home, ['logs', 'work', '--lines', '2'])).stdout).toBe('two\nthree\n');
    // A log replaced by a symlink (the instance can write its sandbox) is not read through.
    const secret = join(home.path, 'secret.txt');
    await writeFile(secret, 'host secret\n');
    await rename(log, `${log}.real`);
    await symlink(secret, log);
    const viaLink = await home.run(['logs', 'work']);
    expect(viaLink.code).toBe(1);
    expect(viaLink.stdout).toBe('');
    expect(viaLink.stderr).toMatch(/claude\.log is a symbolic link/);
    await rm(log);
    await rename(`${log}.real`, log);

    using follower = followLogs(home, ['work', '--lines', '1']);
    await follower.saw('three\n');
    expect(follower.seen()).toBe('three\n');
    await appendFile(log, 'four é\n');
    await follower.saw('four é\n');
    expect(follower.seen()).toBe('three\nfour é\n');
  });

  it('follows from the end of the bytes it read, even when the log holds bytes that are not UTF-8', async () => {
    await using home = await noneHome();
    await ok(home, ['create', 'work']);
    const log = join(home.sandbox('work'), '.cmgr', 'claude.log');
    await mkdir(join(home.sandbox('work'), '.cmgr'), { recursive: true });
    // 0xff is no UTF-8: it decodes to one U+FFFD, three bytes where the file has one.
    await writeFile(log, Buffer.from([0x62, 0x61, 0x64, 0xff, 0x0a]));
    using follower = followLogs(home, ['work']);
    await follower.saw('bad\ufffd\n');
    await appendFile(log, 'next line\n');
    await follower.saw('next line\n');
    expect(follower.seen()).toBe('bad\ufffd\nnext line\n');
  });
});

describe('cmgr doctor', () => {
  it('reports each check with its fix, and exits 1 when Claude Desktop is missing', async () => {
    await using home = await noneHome();
    await ok(home, ['create', 'work']);
    const good = await home.run(['doctor', '--json']);
    const report = JSON.parse(good.stdout) as {
      ok: boolean;
      findings: { check: string; status: string; detail: string; fix: string }[];
    };
    const checks = report.findings.map((f) => f.check);
    for (const check of ['bubblewrap', 'Claude Desktop', 'display', 'state files', "ports of 'work'"]) {
      expect(checks).toContain(check);
    }
    expect(report.findings.find((f) => f.check === 'Claude Desktop')).toMatchObject({ status: 'ok' });
    expect(report.findings.find((f) => f.check === 'state files')).toMatchObject({ status: 'ok' });
    for (const finding of report.findings) if (finding.status !== 'ok') expect(finding.fix).not.toBe('');
    expect(good.code).toBe(report.ok ? 0 : 1);

    const missing = await home.run(['doctor', '--json'], { CMGR_CLAUDE_COMMAND: '', PATH: '/usr/bin:/bin' });
    expect(missing.code).toBe(1);
    const claude = JSON.parse(missing.stdout).findings.find(
      (f: { check: string }) => f.check === 'Claude Desktop',
    );
    expect(claude.status).toBe('fail');
    expect(claude.fix).toMatch(/set CMGR_CLAUDE_COMMAND/);
    const text = await home.run(['doctor'], { CMGR_CLAUDE_COMMAND: '', PATH: '/usr/bin:/bin' });
    expect(text.stdout).toMatch(/^CHECK\s+STATUS\s+DETAIL\s+FIX/);
    expect(text.stdout).toMatch(/Claude Desktop\s+FAIL/);
  });

  it('names a corrupt state file as blocking', async () => {
    await using home = await noneHome();
    await mkdir(home.cmgrHome, { recursive: true });
    await writeFile(join(home.cmgrHome, 'registry.json'), '{"version": 7, "instances": {}}');
    const result = await home.run(['doctor', '--json']);
    expect(result.code).toBe(1);
    expect(
      JSON.parse(result.stdout).findings.find((f: { check: string }) => f.check === 'state files'),
    ).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/registry\.json is corrupt/),
    });
  });
});
