import { describe, expect, it } from 'vitest';
import { findClaudeDesktop, launchFlags } from './discover.js';

function search(files: readonly string[], extra: Partial<Parameters<typeof findClaudeDesktop>[0]> = {}) {
  const set = new Set(files);
  return {
    env: { PATH: '/usr/local/bin:/usr/bin' },
    configFile: '/h/.cmgr/config.json',
    home: '/h',
    cwd: '/w',
    isExecutable: (path: string) => set.has(path),
    listDir: (dir: string) =>
      [...set].filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1)),
    ...extra,
  };
}

describe('findClaudeDesktop', () => {
  it('takes CMGR_CLAUDE_COMMAND first, then config.json, then PATH, then the install places', () => {
    const files = [
      '/opt/c/claude',
      '/cfg/claude',
      '/usr/bin/claude-desktop',
      '/h/Applications/claude-desktop-0.9.3-amd64.AppImage',
    ];
    const env = { PATH: '/usr/bin', CMGR_CLAUDE_COMMAND: "'/opt/c/claude' --x" };
    expect(findClaudeDesktop(search(files, { env, configured: ['/cfg/claude'] }))).toEqual({
      argv: ['/opt/c/claude', '--x'],
      source: 'CMGR_CLAUDE_COMMAND',
      path: '/opt/c/claude',
    });
    expect(
      findClaudeDesktop(search(files, { env: { PATH: '/usr/bin' }, configured: ['/cfg/claude'] })).source,
    ).toBe('config');
    expect(findClaudeDesktop(search(files, { env: { PATH: '/usr/bin' } })).path).toBe(
      '/usr/bin/claude-desktop',
    );
    expect(
      findClaudeDesktop(
        search(
          files.filter((f) => !f.startsWith('/usr')),
          { env: { PATH: '/nowhere' } },
        ),
      ),
    ).toEqual({
      argv: ['/h/Applications/claude-desktop-0.9.3-amd64.AppImage'],
      source: 'install',
      path: '/h/Applications/claude-desktop-0.9.3-amd64.AppImage',
    });
  });

  it('picks the newest AppImage by version', () => {
    const found = findClaudeDesktop(
      search(
        [
          '/h/Downloads/claude-desktop-0.9.10-amd64.AppImage',
          '/h/Downloads/claude-desktop-0.9.9-amd64.AppImage',
        ],
        {
          env: { PATH: '' },
        },
      ),
    );
    expect(found.path).toBe('/h/Downloads/claude-desktop-0.9.10-amd64.AppImage');
  });

  it('a set command with a missing binary is an error naming it, never replaced by another install', () => {
    expect(() =>
      findClaudeDesktop(
        search(['/usr/bin/claude-desktop'], { env: { CMGR_CLAUDE_COMMAND: '/gone/claude' } }),
      ),
    ).toThrow(/'\/gone\/claude' \(from CMGR_CLAUDE_COMMAND\) was not found/);
  });

  it('not found: one line saying where it looked and how to set it', () => {
    let message = '';
    try {
      findClaudeDesktop(search([]));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^Claude Desktop not found: looked at CMGR_CLAUDE_COMMAND/);
    expect(message).toContain('/usr/bin/claude-desktop');
    expect(message).toMatch(/set CMGR_CLAUDE_COMMAND or "claudeCommand" in \/h\/\.cmgr\/config\.json$/);
  });
});

describe('launchFlags', () => {
  it('--no-sandbox only in bubblewrap and unless turned off; the platform of the session; the class', () => {
    const x11 = { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' };
    expect(launchFlags({ bubblewrap: true, session: x11, windowClass: 'cmgr-a' })).toEqual([
      '--no-sandbox',
      '--ozone-platform=x11',
      '--class=cmgr-a',
    ]);
    expect(launchFlags({ bubblewrap: true, noSandbox: false, session: {}, windowClass: 'c' })).toEqual([
      '--class=c',
    ]);
    expect(launchFlags({ bubblewrap: false, session: x11, windowClass: 'c' })).not.toContain('--no-sandbox');
    const wayland = { DISPLAY: ':0', XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' };
    expect(launchFlags({ bubblewrap: false, session: wayland, windowClass: 'c' })).toContain(
      '--ozone-platform=wayland',
    );
  });
});
