import { describe, expect, it } from 'vitest';
import { bwrapArgs, hiddenPaths, READY_SHIM, SANDBOX_HOME, shareProblem, shareTarget } from './layout.js';

describe('hiddenPaths', () => {
  it('hides /tmp, /home, homes elsewhere, /run/user and XDG_RUNTIME_DIR, each once and only when it exists', () => {
    const exists = (path: string) => ['/home', '/root', '/run/user', '/xdg'].includes(path);
    expect(hiddenPaths(['/home/me', '/root', '/nonexistent', '/'], '/run/user/1000', exists)).toEqual([
      '/tmp',
      '/home',
      '/root',
      '/run/user',
    ]);
    expect(hiddenPaths(['/tmp/x'], '/xdg/', exists)).toEqual(['/tmp', '/home', '/run/user', '/xdg']);
    expect(hiddenPaths([], undefined, () => false)).toEqual(['/tmp']);
  });
});

describe('bwrapArgs', () => {
  const layout = {
    sandbox: '/s/work',
    passwd: '/s/work/.cmgr/passwd',
    hide: ['/tmp', '/home'],
    binds: [
      { kind: 'ro', path: '/tmp/.X11-unix' },
      { kind: 'dev', path: '/dev/dri' },
    ] as const,
    shares: [
      { path: '/home/me/projects', readOnly: false },
      { path: '/data', readOnly: true },
    ],
  };

  it('mounts in an order where nothing later is covered by something earlier', () => {
    const args = bwrapArgs(layout, ['claude', '--x']);
    const at = (...words: string[]) => {
      const i = args.findIndex((_, index) => words.every((w, k) => args[index + k] === w));
      expect(i, words.join(' ')).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(at('--unshare-pid')).toBeLessThan(at('--'));
    at('--new-session');
    at('--die-with-parent');
    expect(at('--ro-bind', '/', '/')).toBeLessThan(at('--tmpfs', '/tmp'));
    expect(at('--tmpfs', '/tmp')).toBeLessThan(at('--ro-bind', '/tmp/.X11-unix', '/tmp/.X11-unix'));
    expect(at('--tmpfs', '/home')).toBeLessThan(at('--bind', '/home/me/projects', '/home/me/projects'));
    at('--dev-bind', '/dev/dri', '/dev/dri');
    at('--ro-bind', '/data', '/data');
    expect(at('--ro-bind', '/data', '/data')).toBeLessThan(at('--bind', '/s/work', SANDBOX_HOME));
    expect(at('--bind', '/s/work', SANDBOX_HOME)).toBeLessThan(at('--ro-bind', layout.passwd, '/etc/passwd'));
    at('--chdir', SANDBOX_HOME);
    // With a /tmp of its own on the host, that is bound where the tmpfs was, before what goes inside it.
    const own = bwrapArgs({ ...layout, tmp: '/s/work/.cmgr/tmp' }, ['claude']);
    expect(own).not.toContain('--tmpfs /tmp');
    const bind = own.findIndex(
      (w, i) => w === '--bind' && own[i + 1] === '/s/work/.cmgr/tmp' && own[i + 2] === '/tmp',
    );
    expect(bind).toBeGreaterThan(own.indexOf('/'));
    expect(bind).toBeLessThan(own.indexOf('/tmp/.X11-unix'));
    expect(own.filter((w, i) => w === '--tmpfs' && own[i + 1] === '/tmp')).toEqual([]);
    expect(args.slice(at('--'))).toEqual([
      '--',
      '/bin/sh',
      '-c',
      READY_SHIM,
      'cmgr-sandbox',
      'claude',
      '--x',
    ]);
  });
});

describe('shareProblem', () => {
  it('refuses /, the sandbox home and what covers it, and the folders bwrap sets up', () => {
    for (const path of [
      '/',
      '/home',
      '/home/claude',
      '/home/claude/x',
      '/proc',
      '/proc/1',
      '/dev/dri',
      '/sys',
    ])
      expect(shareProblem(path), path).toBeDefined();
    for (const path of ['/home/me/projects', '/home/claudette', '/data', '/tmp/x', '/devices'])
      expect(shareProblem(path), path).toBeUndefined();
  });
});

describe('shareTarget', () => {
  const hide = ['/tmp', '/home', '/root'];
  it('binds at the real path when a symlink on the way is visible inside, else at the path as given', () => {
    expect(shareTarget('/data/x', '/data/x', hide)).toBe('/data/x');
    expect(shareTarget('/data/link/sub', '/mnt/disk/sub', hide)).toBe('/mnt/disk/sub');
    expect(shareTarget('/home/me/link', '/data/x', hide)).toBe('/home/me/link');
    expect(shareTarget('/tmp/link', '/var/x', hide)).toBe('/tmp/link');
    expect(shareTarget('/homework/link', '/data/x', hide)).toBe('/data/x');
  });
});
