import { isAbsolute, join, normalize } from 'node:path';
import type { SharedFolder } from '../state.js';

/** The instance's home inside the sandbox: its sandbox folder, bound here. */
export const SANDBOX_HOME = '/home/claude';
/** The user name inside the sandbox, with the caller's uid. */
export const SANDBOX_USER = 'claude';

/** A host path bound at the same path inside: read-only, or as a device (`/dev/dri`). */
export interface Bind {
  readonly kind: 'ro' | 'dev';
  readonly path: string;
}

/** Everything bwrap's command line is made from; gathered by the launcher, turned into words here. */
export interface SandboxLayout {
  /** The instance's sandbox folder on the host, bound at {@link SANDBOX_HOME}. */
  readonly sandbox: string;
  /** The generated passwd file on the host, bound over `/etc/passwd`. */
  readonly passwd: string;
  /** Folders covered with an empty tmpfs, in this order (see {@link hiddenPaths}). */
  readonly hide: readonly string[];
  /**
   * The instance's own `/tmp` on the host (`<sandbox>/.cmgr/tmp`, emptied at each start), bound there
   * instead of a tmpfs: a second launch into the same instance (`cmgr open-url`) then shares it with
   * the running app, and Electron's single-instance socket in it, so the app gets the link.
   */
  readonly tmp?: string;
  /** What a desktop app needs, when present (see `desktopCandidates`). */
  readonly binds: readonly Bind[];
  /** Shared folders that exist, bound at their own path. */
  readonly shares: readonly SharedFolder[];
}

const within = (path: string, dir: string): boolean =>
  path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/**
 * The folders to hide behind an empty tmpfs: `/tmp` (so the instance gets its own), `/home`, the
 * caller's real home(s) where they lie elsewhere (`/root`), `/run/user` and `XDG_RUNTIME_DIR` (only
 * the sockets a desktop app needs are bound back). Only paths that exist: `/` is read-only inside, so
 * bwrap cannot create a mount point there.
 */
export function hiddenPaths(
  homes: readonly string[],
  runtimeDir: string | undefined,
  exists: (path: string) => boolean,
): string[] {
  const out = ['/tmp'];
  const add = (path: string): void => {
    const clean = normalize(path).replace(/(.)\/+$/, '$1');
    if (clean === '/' || !isAbsolute(clean) || !exists(clean)) return;
    if (out.some((hidden) => within(clean, hidden))) return;
    out.push(clean);
  };
  add('/home');
  for (const home of homes) add(home);
  add('/run/user');
  if (runtimeDir !== undefined) add(runtimeDir);
  return out;
}

/**
 * bwrap's arguments for `layout`, running `command` through a tiny `/bin/sh` shim that reports on
 * fd 3 whether the command is there to run (`ready`) or not visible inside (`missing`), then closes
 * fd 3 and execs it. Order matters: `/` read-only first, then the tmpfs covers, then what is bound back
 * on top of them (desktop sockets, shared folders), the home and the passwd last so no share can cover them.
 */
export function bwrapArgs(layout: SandboxLayout, command: readonly string[]): string[] {
  const args = ['--unshare-pid', '--new-session', '--die-with-parent'];
  args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');
  for (const path of layout.hide) {
    if (path === '/tmp' && layout.tmp !== undefined) args.push('--bind', layout.tmp, '/tmp');
    else args.push('--tmpfs', path);
  }
  for (const bind of layout.binds) {
    args.push(bind.kind === 'dev' ? '--dev-bind' : '--ro-bind', bind.path, bind.path);
  }
  for (const share of layout.shares)
    args.push(share.readOnly ? '--ro-bind' : '--bind', share.path, share.path);
  args.push('--bind', layout.sandbox, SANDBOX_HOME);
  args.push('--ro-bind', layout.passwd, '/etc/passwd');
  args.push('--chdir', SANDBOX_HOME);
  args.push('--', '/bin/sh', '-c', READY_SHIM, 'cmgr-sandbox', ...command);
  return args;
}

/**
 * Where a shared folder is bound inside, given the folder its path leads to on the host (`real`). A path
 * through a symlink is bound at its real path when the symlink is visible inside (the read-only `/`):
 * bwrap cannot mount on a symlink, and the symlink leads there inside as well. Under a hidden folder
 * (an empty tmpfs, no symlink in it) the path as given is created and bound.
 */
export function shareTarget(path: string, real: string, hide: readonly string[]): string {
  if (real === path || hide.some((hidden) => within(path, hidden))) return path;
  return real;
}

/** Reports on fd 3 before exec: a command that is not visible inside (a hidden folder) is told apart. */
export const READY_SHIM =
  'case $1 in */*) [ -f "$1" ] && [ -x "$1" ] ;; *) command -v "$1" >/dev/null 2>&1 ;; esac' +
  ' || { printf missing >&3; exit 127; }; printf ready >&3; exec 3>&-; exec "$@"';

/**
 * Shares that may be bound: not `/`, nothing that covers or lies inside the sandbox home or the
 * system folders bwrap sets up itself. Checked when a share is recorded; this is the same rule.
 */
export function shareProblem(path: string): string | undefined {
  if (path === '/') return 'sharing / would undo the sandbox';
  if (within(SANDBOX_HOME, path) || within(path, SANDBOX_HOME))
    return `it covers or lies inside the sandbox home ${SANDBOX_HOME}`;
  for (const system of ['/proc', '/dev', '/sys']) {
    if (within(path, system)) return `${system} is set up by the sandbox itself`;
  }
  return undefined;
}

/** Where the X authority copy lives in the sandbox folder, and the path the instance sees it at. */
export function xauthorityPaths(sandbox: string): { readonly host: string; readonly inside: string } {
  return { host: join(sandbox, '.cmgr', 'Xauthority'), inside: join(SANDBOX_HOME, '.cmgr', 'Xauthority') };
}
