import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type StagedFixture, stageFixture } from '@ports/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bin,
  type CmgrHome,
  createCmgrHome,
  descendants,
  freeBase,
  inlineFakeClaude,
  isAlive,
  type RunAs,
  readFakeClaude,
  USER_CONFIG,
} from './helpers.js';

// End-to-end with Debian's bubblewrap and a fake Claude Desktop, as root and as an unprivileged user.
const CI = process.env.CI === 'true';
const NOBODY = 65534;
const which = (name: string): string | undefined =>
  spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim() || undefined;
const bwrap = which('bwrap');
const isRoot = process.getuid?.() === 0;

/** Why `uid` cannot use bubblewrap here (no unprivileged user namespaces), or `undefined` when it can. */
function userNamespacesMissing(uid: number): string | undefined {
  const run = spawnSync(bwrap!, ['--ro-bind', '/', '/', 'true'], { uid, gid: uid, encoding: 'utf8' });
  return run.status === 0 ? undefined : (run.stderr.trim() || `exit ${run.status}`).split('\n')[0];
}

/** `chown -R`, so the unprivileged user owns the home the test prepared for it. */
function own(path: string, as: RunAs | undefined): Promise<void> {
  if (!as) return Promise.resolve();
  return new Promise((resolve, reject) =>
    execFile('chown', ['-R', `${as.uid}:${as.gid}`, path], (error) => (error ? reject(error) : resolve())),
  );
}

async function ok(home: CmgrHome, args: readonly string[], extra?: NodeJS.ProcessEnv): Promise<string> {
  const result = await home.run(args, extra);
  expect(result.code, `cmgr ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

/** A home with the user's config, ranges in a free area, and the fake Claude as "claudeCommand" (no file needed). */
async function sandboxHome(as: RunAs | undefined): Promise<{ home: CmgrHome; base: number }> {
  const base = await freeBase();
  const home = await createCmgrHome({ MCP_BASE_PORT: String(base) }, as);
  await mkdir(home.cmgrHome, { recursive: true });
  await writeFile(
    join(home.cmgrHome, 'config.json'),
    JSON.stringify({ claudeCommand: await inlineFakeClaude() }),
  );
  const claudeDir = join(home.path, '.config', 'Claude');
  await mkdir(claudeDir, { recursive: true });
  await writeFile(join(claudeDir, 'claude_desktop_config.json'), JSON.stringify(USER_CONFIG));
  return { home, base };
}

function reply(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

function legs(): { label: string; as?: () => RunAs; skip?: string }[] {
  const nobody = !isRoot
    ? 'the tests do not run as root, so they cannot switch to an unprivileged user (the root leg already is one)'
    : userNamespacesMissing(NOBODY);
  return [
    { label: isRoot ? 'as root' : 'as this user' },
    {
      label: `as an unprivileged user (uid ${NOBODY})`,
      as: () => ({ uid: NOBODY, gid: NOBODY, bin: staged!.script }),
      ...(nobody !== undefined && { skip: `unprivileged user namespaces unavailable: ${nobody}` }),
    },
  ];
}

let staged: StagedFixture | undefined;

if (!bwrap) {
  const missing = "bwrap (bubblewrap) is not on PATH: 'apt install bubblewrap' to run cmgr's sandbox tests";
  if (CI) it('cmgr sandbox: needs bwrap', () => expect.fail(`${missing}; CI must run them`));
  else it.skip(`cmgr sandbox: skipped, ${missing}`, () => {});
} else {
  beforeAll(async () => {
    // The unprivileged user may not reach the checkout (a clone under a 0700 folder): a bundled copy of cmgr.
    if (isRoot)
      staged = await stageFixture(fileURLToPath(new URL('./fixtures/cmgr-entry.ts', import.meta.url)));
  }, 60_000);
  afterAll(async () => {
    await staged?.[Symbol.asyncDispose]();
  });

  for (const leg of legs()) {
    describe(`cmgr start in bubblewrap, ${leg.label}`, () => {
      if (leg.skip) {
        it.skip(`skipped: ${leg.skip}`, () => {});
        return;
      }

      it('isolates home, user, /home, /tmp and the real home; shares folders; keeps its port; stop ends all of it', async () => {
        const as = leg.as?.();
        const { home, base } = await sandboxHome(as);
        await using _ = home;
        const secret = join(home.path, 'secret.txt');
        await writeFile(secret, 'top secret\n');
        const rw = join(home.path, 'projects');
        const ro = join(home.path, 'docs');
        await mkdir(rw);
        await mkdir(ro);
        await writeFile(join(rw, 'readme.txt'), 'shared\n');
        await writeFile(join(ro, 'doc.txt'), 'read only\n');
        await own(home.path, as);
        await ok(home, ['create', 'work', '--share', rw]);
        expect(await ok(home, ['share', 'work', ro, '--read-only'])).toMatch(
          /shared .*docs with 'work' \(read-only\)/,
        );

        const tag = randomBytes(6).toString('hex');
        const started = JSON.parse(
          await ok(
            home,
            [
              'start',
              'work',
              '--json',
              ...['FAKE_CLAUDE_TMP_TAG', 'FAKE_CLAUDE_READ', 'FAKE_CLAUDE_WRITE'].flatMap((n) => [
                '--pass-env',
                n,
              ]),
              '--pass-env',
              'LOG_LEVEL=debug',
            ],
            {
              // What a shell of the user holds: none of it may reach the instance unless passed.
              SECRET_TOKEN: 'hunter2',
              AWS_SECRET_ACCESS_KEY: 'aws-secret',
              XDG_CONFIG_HOME: join(home.path, '.config'),
              TMPDIR: join(home.path, 'tmp'),
              LANG: 'C.UTF-8',
              FAKE_CLAUDE_TMP_TAG: tag,
              FAKE_CLAUDE_READ: JSON.stringify([secret, join(rw, 'readme.txt'), join(ro, 'doc.txt')]),
              FAKE_CLAUDE_WRITE: JSON.stringify([rw, ro]),
            },
          ),
        ) as { pid: number; sandbox: string };
        expect(started.sandbox).toBe('bwrap');
        const fake = await readFakeClaude(home, 'work');

        // Exactly what it was given: the allowlist, what was passed, cmgr's own; no secret of the host.
        expect(fake.env.SECRET_TOKEN).toBeUndefined();
        expect(fake.env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
        expect(fake.env.TMPDIR).toBeUndefined();
        expect(fake.env).toMatchObject({
          LANG: 'C.UTF-8',
          LOG_LEVEL: 'debug',
          FAKE_CLAUDE_TMP_TAG: tag,
          XDG_CONFIG_HOME: '/home/claude/.config',
          XDG_DATA_HOME: '/home/claude/.local/share',
          XDG_CACHE_HOME: '/home/claude/.cache',
          XDG_STATE_HOME: '/home/claude/.local/state',
          MCP_BASE_PORT: String(base),
          MCP_PORT_RANGE: '100',
        });
        const shellOwn = ['PWD', 'SHLVL', 'OLDPWD', '_'];
        expect(
          Object.keys(fake.env)
            .filter((k) => !shellOwn.includes(k))
            .sort(),
        ).toEqual(
          [
            'PATH',
            'LANG',
            'HOME',
            'USER',
            'LOGNAME',
            'XDG_CONFIG_HOME',
            'XDG_DATA_HOME',
            'XDG_CACHE_HOME',
            'XDG_STATE_HOME',
            'CLAUDE_INSTANCE',
            'MCP_BASE_PORT',
            'MCP_PORT_RANGE',
            'FILESYSTEM_PORT',
            'MY_DB_PORT',
            'FAKE_CLAUDE_TMP_TAG',
            'FAKE_CLAUDE_READ',
            'FAKE_CLAUDE_WRITE',
            'LOG_LEVEL',
          ].sort(),
        );
        // Electron's own sandbox cannot nest in bubblewrap; its windows carry the instance's class.
        expect(fake.args).toEqual(['--no-sandbox', '--class=cmgr-work']);

        // Who it is and where it lives.
        expect(fake.env).toMatchObject({ HOME: '/home/claude', USER: 'claude', CLAUDE_INSTANCE: 'work' });
        expect(fake.env.FILESYSTEM_PORT).toBe(String(base + 10));
        expect(fake).toMatchObject({
          user: 'claude',
          uid: as?.uid ?? process.getuid!(),
          cwd: '/home/claude',
        });
        // Its own pid namespace: the host sees another pid.
        expect(fake.pid).not.toBe(started.pid);
        // The real home and /home are hidden; its home is the sandbox folder.
        expect(fake.reads[secret]).toBe('ENOENT');
        expect(fake.homes).toEqual(['claude']);
        expect(fake.wroteHome).toBe('ok');
        expect(await readFile(join(home.sandbox('work'), 'written-inside.txt'), 'utf8')).toMatch(
          /^written by /,
        );
        // A /tmp of its own: what it wrote, and the way down to the shared folders (this test's home
        // is under /tmp); what it writes there never reaches the host's.
        expect(fake.tmp).toEqual([basename(home.path), `fake-claude-${tag}.txt`].sort());
        await expect(stat(`/tmp/fake-claude-${tag}.txt`)).rejects.toThrow(/ENOENT/);
        // Shared folders at their own path; the read-only one refuses writes.
        expect(fake.reads[join(rw, 'readme.txt')]).toBe('ok:shared\n');
        expect(fake.reads[join(ro, 'doc.txt')]).toBe('ok:read only\n');
        expect(fake.writes).toEqual({ [rw]: 'ok', [ro]: 'EROFS' });
        expect(await readFile(join(rw, 'from-inside.txt'), 'utf8')).toBe('hello from inside\n');
        await expect(stat(join(ro, 'from-inside.txt'))).rejects.toThrow(/ENOENT/);

        // The network is the host's: its port is reachable, and cmgr counts the holder as the instance's.
        expect(fake.listening).toBe(base + 10);
        expect(await reply(base + 10)).toBe('fake claude\n');
        const tree = await descendants(started.pid);
        const report = JSON.parse(await ok(home, ['ports', 'work', '--json']));
        const fs = report.instances[0].tools.find((t: { server: string }) => t.server === 'filesystem');
        expect(fs).toMatchObject({ port: base + 10, state: 'instance' });
        expect(tree).toContain(fs.holders[0].pid);
        const listed = JSON.parse(await ok(home, ['list', '--json']));
        expect(listed.instances[0]).toMatchObject({ running: true, pid: started.pid, sandboxMode: 'bwrap' });
        expect(listed.instances[0].shares).toEqual([
          { path: rw, readOnly: false },
          { path: ro, readOnly: true },
        ]);

        // keeper shell, bwrap, bwrap's init inside, the fake, its child: all gone after stop.
        expect(tree.length).toBeGreaterThanOrEqual(5);
        expect(await ok(home, ['stop', 'work'])).toMatch(/stopped 'work'/);
        for (const pid of tree) expect(await isAlive(pid), `pid ${pid}`).toBe(false);
        expect((await home.registry()).instances.work?.process).toBeUndefined();
        expect(JSON.parse(await ok(home, ['list', '--json'])).instances[0].sandboxMode).toBeNull();
      });

      it('skips a shared folder that no longer exists with one warning; stop --timeout kills what ignores SIGTERM', async () => {
        const as = leg.as?.();
        const { home } = await sandboxHome(as);
        await using _ = home;
        const gone = join(home.path, 'gone');
        await mkdir(gone);
        await own(home.path, as);
        await ok(home, ['create', 'work', '--share', gone]);
        await rm(gone, { recursive: true });
        const result = await home.run(['start', 'work', '--pass-env', 'FAKE_CLAUDE_IGNORE_TERM'], {
          FAKE_CLAUDE_IGNORE_TERM: '1',
        });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr.trim().split('\n')).toEqual([
          `cmgr: shared folder ${gone} of 'work' no longer exists (or is not a folder); skipped ('cmgr unshare work ${gone}' forgets it)`,
        ]);
        await readFakeClaude(home, 'work');
        const tree = await descendants((await home.registry()).instances.work!.process!.pid);
        expect(await ok(home, ['stop', 'work', '--timeout', '300'])).toMatch(/killed 'work'/);
        for (const pid of tree) expect(await isAlive(pid), `pid ${pid}`).toBe(false);
      });

      it('shares a folder reached through a symlink outside the hidden folders (bwrap cannot mount on a symlink)', async () => {
        const as = leg.as?.();
        const { home } = await sandboxHome(as);
        await using _ = home;
        // /var/tmp stays visible (read-only) inside, so the symlink is there too, unlike under /tmp.
        const outside = await mkdtemp('/var/tmp/cmgr-share-');
        try {
          const real = join(outside, 'real');
          await mkdir(join(real, 'sub'), { recursive: true });
          await symlink(real, join(outside, 'link'));
          const viaLink = join(outside, 'link', 'sub');
          await own(home.path, as);
          await own(outside, as);
          await ok(home, ['create', 'work', '--share', join(outside, 'link')]);
          await ok(home, ['share', 'work', viaLink, '--read-only']);
          await ok(home, ['start', 'work', '--pass-env', 'FAKE_CLAUDE_WRITE'], {
            FAKE_CLAUDE_WRITE: JSON.stringify([join(outside, 'link'), viaLink]),
          });
          const fake = await readFakeClaude(home, 'work');
          expect(fake.writes).toEqual({ [join(outside, 'link')]: 'ok', [viaLink]: 'EROFS' });
          expect(await readFile(join(real, 'from-inside.txt'), 'utf8')).toBe('hello from inside\n');
          await ok(home, ['stop', 'work']);
        } finally {
          await rm(outside, { recursive: true, force: true });
        }
      });

      it('login + open-url: the sign-in link reaches the marked instance only, inside its running sandbox', async () => {
        const as = leg.as?.();
        const { home } = await sandboxHome(as);
        await using _ = home;
        await own(home.path, as);
        for (const name of ['work', 'personal']) {
          await ok(home, ['create', name]);
          await ok(home, ['start', name]);
        }
        await readFakeClaude(home, 'work');
        await readFakeClaude(home, 'personal');
        expect(await ok(home, ['login', 'work'])).toMatch(/'work' waits for a sign-in link/);
        const handler = await readFile(
          join(home.path, '.local/share/applications/cmgr-open-url.desktop'),
          'utf8',
        );
        expect(handler).toMatch(/^MimeType=x-scheme-handler\/claude;$/m);
        expect(handler).toMatch(/^Exec=.* open-url %u$/m);

        const url = 'claude://claude.ai/login?token=abc&next=%2F';
        expect(await ok(home, ['open-url', url])).toMatch(/handed the link to 'work'/);
        const lines = await waitForLines(join(home.sandbox('work'), 'fake-claude-urls.jsonl'));
        expect(lines).toHaveLength(1);
        const run = JSON.parse(lines[0]!) as {
          args: string[];
          env: Record<string, string>;
          tmp: string[];
          cwd: string;
        };
        // The running app's /tmp (where Electron's single-instance socket lives), not the other's; the
        // same environment; the link last.
        expect(run.tmp).toContain('fake-claude-main-work');
        expect(run.tmp).not.toContain('fake-claude-main-personal');
        expect(run.args).toEqual(['--no-sandbox', '--class=cmgr-work', url]);
        expect(run.env).toMatchObject({
          HOME: '/home/claude',
          CLAUDE_INSTANCE: 'work',
          XDG_CONFIG_HOME: '/home/claude/.config',
        });
        expect(run.cwd).toBe('/home/claude');
        await expect(stat(join(home.sandbox('personal'), 'fake-claude-urls.jsonl'))).rejects.toThrow(
          /ENOENT/,
        );
        // The mark is used up: the next link goes to the most recently started, and cmgr says so.
        expect((await home.registry()).instances.work).not.toHaveProperty('loginPending');
        const next = await home.run(['open-url', url]);
        expect(next.code, next.stderr).toBe(0);
        expect(next.stderr).toMatch(
          /no instance waits for a sign-in link .*giving it to 'personal', the most recently started/,
        );
        expect(await waitForLines(join(home.sandbox('personal'), 'fake-claude-urls.jsonl'))).toHaveLength(1);
      });

      it('empties only its own /tmp: a symlink planted there is removed, never followed; a symlinked .cmgr is refused', async () => {
        const as = leg.as?.();
        const { home } = await sandboxHome(as);
        await using _ = home;
        const keep = join(home.path, 'keep');
        await mkdir(keep);
        await writeFile(join(keep, 'precious.txt'), 'keep me\n');
        await own(home.path, as);
        await ok(home, ['create', 'work']);
        const cmgrDir = join(home.sandbox('work'), '.cmgr');
        await mkdir(cmgrDir, { recursive: true });
        await symlink(keep, join(cmgrDir, 'tmp'));
        // And the setting that keeps Electron's own sandbox: no --no-sandbox then.
        const settings = join(home.cmgrHome, 'config.json');
        await writeFile(
          settings,
          JSON.stringify({ ...JSON.parse(await readFile(settings, 'utf8')), noSandbox: false }),
        );
        await own(home.path, as);
        await ok(home, ['start', 'work']);
        const fake = await readFakeClaude(home, 'work');
        expect(fake.tmp).toEqual([]);
        expect(fake.args).toEqual(['--class=cmgr-work']);
        expect(await readFile(join(keep, 'precious.txt'), 'utf8')).toBe('keep me\n');
        await ok(home, ['stop', 'work']);

        await rm(cmgrDir, { recursive: true });
        await symlink(keep, cmgrDir);
        const refused = await home.run(['start', 'work']);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/\.cmgr is a symbolic link/);
        expect(await readFile(join(keep, 'precious.txt'), 'utf8')).toBe('keep me\n');
      });

      it('refuses a share whose real path would undo the sandbox', async () => {
        const as = leg.as?.();
        const { home } = await sandboxHome(as);
        await using _ = home;
        await own(home.path, as);
        await ok(home, ['create', 'work']);
        const link = join(home.path, 'root-link');
        await symlink('/', link);
        const result = await home.run(['share', 'work', link]);
        expect(result.code).toBe(2);
        expect(result.stderr).toBe(
          `cmgr: cannot share ${link} (it leads to /): sharing / would undo the sandbox\n`,
        );
        expect((await home.registry()).instances.work?.shares).toBeUndefined();

        // Shared while a folder, turned into such a link afterwards: skipped at start, with one warning.
        const dir = join(home.path, 'later');
        await mkdir(dir);
        await own(dir, as);
        await ok(home, ['share', 'work', dir]);
        await rm(dir, { recursive: true });
        await symlink('/', dir);
        const started = await home.run(['start', 'work', '--pass-env', 'FAKE_CLAUDE_WRITE'], {
          FAKE_CLAUDE_WRITE: JSON.stringify([dir]),
        });
        expect(started.code, started.stderr).toBe(0);
        expect(started.stderr).toBe(
          `cmgr: shared folder ${dir} of 'work' now leads to / (sharing / would undo the sandbox); skipped ('cmgr unshare work ${dir}' forgets it)\n`,
        );
        expect((await readFakeClaude(home, 'work')).writes[dir]).not.toBe('ok');
        await ok(home, ['stop', 'work']);
      });
    });
  }

  describe('cmgr start when bubblewrap cannot create the sandbox', () => {
    it('says why and the two ways out in one line; nothing runs, nothing is recorded', async (context) => {
      const depth = deepestUserNamespace();
      const missing =
        'needs unshare (util-linux) with --map-user to exhaust the user-namespace nesting limit';
      if (depth === undefined && CI) expect.fail(`${missing}; CI must run it`);
      if (depth === undefined) context.skip(missing);
      const { home } = await sandboxHome(undefined);
      await using _ = home;
      await ok(home, ['create', 'work']);
      // At the kernel's nesting limit no user namespace can be created: bwrap fails as it does where
      // unprivileged user namespaces are turned off, with the kernel's own refusal.
      const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(
          'unshare',
          [...nestingArgs(depth!), process.execPath, bin, 'start', 'work'],
          { env: home.env, timeout: 60_000 },
          (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
        ),
      );
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^cmgr: cannot create the sandbox for 'work': the kernel refused bubblewrap a user namespace \(exit 1\): bwrap: .*; allow unprivileged user namespaces \('sudo sysctl -w kernel\.unprivileged_userns_clone=1'.*kernel\.apparmor_restrict_unprivileged_userns=0.*or start without the sandbox: 'cmgr start work --sandbox none'$/,
      );
      expect((await home.registry()).instances.work?.process).toBeUndefined();
      expect(await processesMentioning(home.sandbox('work'))).toEqual([]);
    });
  });
}

/** Arguments for `unshare` that nest `depth` user namespaces, the last one mapping us to uid 1000. */
function nestingArgs(depth: number): string[] {
  const args: string[] = [];
  for (let level = 1; level < depth; level += 1) args.push('-Ur', 'unshare');
  args.push('-U', '--map-user=1000', '--map-group=1000');
  return args;
}

/** How many user namespaces can still be nested below ours (the kernel allows 32 levels), or `undefined`. */
function deepestUserNamespace(): number | undefined {
  if (!which('unshare')) return undefined;
  for (let depth = 33; depth >= 1; depth -= 1) {
    if (spawnSync('unshare', [...nestingArgs(depth), 'true']).status === 0) {
      // One more must fail, or bwrap could still create its own.
      return spawnSync('unshare', [...nestingArgs(depth), 'unshare', '-U', 'true']).status === 0
        ? undefined
        : depth;
    }
  }
  return undefined;
}

/** The lines of a file another process appends to, once there are any (polls; the deadline only bounds a failure). */
async function waitForLines(file: string): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.endsWith('\n')) return text.trim().split('\n');
    if (Date.now() > deadline) throw new Error(`${file} got no line within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Live processes whose command line mentions `text`. */
async function processesMentioning(text: string): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || !(await isAlive(Number(entry)))) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) out.push(Number(entry));
  }
  return out;
}
