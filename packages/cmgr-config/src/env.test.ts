import { describe, expect, it } from 'vitest';
import { instanceEnvironment, isDesktopVariable, parsePassEnv, xdgFolders } from './env.js';
import { CmgrConfigError } from './errors.js';

const host = {
  PATH: '/usr/bin',
  LANG: 'de_DE.UTF-8',
  LC_TIME: 'C',
  DISPLAY: ':0',
  WAYLAND_DISPLAY: 'wayland-0',
  SECRET_TOKEN: 'hunter2',
  AWS_SECRET_ACCESS_KEY: 'aws',
  XDG_CONFIG_HOME: '/home/me/.config',
  GITHUB_TOKEN: 'gh',
  TMPDIR: '/home/me/tmp',
};

describe('instanceEnvironment', () => {
  it('starts empty: only the desktop allowlist, what is passed, and cmgr own', () => {
    const env = instanceEnvironment({
      host,
      pass: parsePassEnv(['GITHUB_TOKEN', 'LOG_LEVEL=debug', 'NOT_SET_ANYWHERE'], '--pass-env'),
      own: { HOME: '/home/claude', CLAUDE_INSTANCE: 'work', ...xdgFolders('/home/claude') },
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      LANG: 'de_DE.UTF-8',
      LC_TIME: 'C',
      DISPLAY: ':0',
      WAYLAND_DISPLAY: 'wayland-0',
      GITHUB_TOKEN: 'gh',
      LOG_LEVEL: 'debug',
      HOME: '/home/claude',
      CLAUDE_INSTANCE: 'work',
      XDG_CONFIG_HOME: '/home/claude/.config',
      XDG_DATA_HOME: '/home/claude/.local/share',
      XDG_CACHE_HOME: '/home/claude/.cache',
      XDG_STATE_HOME: '/home/claude/.local/state',
    });
  });

  it('a later NAME=VALUE wins, and an allowlisted variable can be given a value', () => {
    const env = instanceEnvironment({ host, pass: parsePassEnv(['LANG=C', 'X=1', 'X=2'], 'p'), own: {} });
    expect(env.LANG).toBe('C');
    expect(env.X).toBe('2');
  });

  it("refuses to pass one of cmgr's own variables", () => {
    expect(() =>
      instanceEnvironment({ host, pass: parsePassEnv(['HOME=/root'], 'p'), own: { HOME: '/home/claude' } }),
    ).toThrow(/cannot pass HOME: cmgr sets it/);
  });

  it('knows the locale categories by prefix', () => {
    expect(isDesktopVariable('LC_ALL')).toBe(true);
    expect(isDesktopVariable('SSH_AUTH_SOCK')).toBe(false);
  });
});

describe('parsePassEnv', () => {
  it.each([['1ABC'], ['A-B'], [''], ['=x']])('refuses %j naming the source', (entry) => {
    expect(() => parsePassEnv([entry], 'config.json passEnv')).toThrow(/config\.json passEnv/);
  });
  it('refuses a value that is not a string, with its index', () => {
    try {
      parsePassEnv(['A', 3], 'passEnv');
      expect.fail('did not throw');
    } catch (error) {
      expect(error).toBeInstanceOf(CmgrConfigError);
      expect((error as CmgrConfigError).code).toBe('EINVALIDPASSENV');
      expect((error as Error).message).toMatch(/passEnv\[1\]/);
    }
  });
  it('keeps = in a value', () => {
    expect(parsePassEnv(['A=b=c'], 'p')).toEqual([{ name: 'A', value: 'b=c' }]);
  });
});
