import { splitCommand } from './command.js';
import { CmgrConfigError } from './errors.js';

/** The name both Linux builds of Claude Desktop (claude-desktop-debian's deb and AppImage) put on PATH. */
export const CLAUDE_DESKTOP_BINARY = 'claude-desktop';

/**
 * Where the Linux builds install Claude Desktop when it is not on PATH, in the order they are tried:
 * the deb's launcher, a local install, then AppImages (`claude-desktop-<version>-<arch>.AppImage`) in the
 * folders people and AppImage managers keep them. `~` is the user's home.
 */
export const CLAUDE_INSTALL_PLACES: readonly string[] = Object.freeze([
  '/usr/bin/claude-desktop',
  '/usr/local/bin/claude-desktop',
  '/opt/claude-desktop/claude-desktop',
  '/usr/lib/claude-desktop/claude-desktop',
  '~/.local/bin/claude-desktop',
  '~/Applications/claude-desktop-*.AppImage',
  '~/AppImages/claude-desktop-*.AppImage',
  '~/.local/bin/claude-desktop-*.AppImage',
  '~/Downloads/claude-desktop-*.AppImage',
]);

/** Where the command was found: the variable, config.json, PATH or a known install place. */
export type ClaudeSource = 'CMGR_CLAUDE_COMMAND' | 'config' | 'PATH' | 'install';

/** The Claude Desktop command found, as words, and where it came from. */
export interface FoundClaude {
  readonly argv: readonly string[];
  readonly source: ClaudeSource;
  /** The executable (the first word), resolved to a path when it was looked up. */
  readonly path: string;
}

/** What {@link findClaudeDesktop} may look at: values and two look-ups, so it needs no file system. */
export interface ClaudeSearch {
  /** `CMGR_CLAUDE_COMMAND`, `PATH` are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `claudeCommand` of config.json: a command string or its words. */
  readonly configured?: string | readonly string[] | undefined;
  /** config.json's path, for messages. */
  readonly configFile: string;
  /** The user's home, for `~` in {@link CLAUDE_INSTALL_PLACES}. */
  readonly home: string;
  /** The working directory a relative command is resolved from. */
  readonly cwd: string;
  /** Whether a path is an executable file. */
  isExecutable(path: string): boolean;
  /** The names in a folder (empty when it cannot be read). */
  listDir(dir: string): readonly string[];
}

const join = (dir: string, name: string): string => `${dir.replace(/\/+$/, '')}/${name}`;

/** The executable for a command's first word: absolute, relative to cwd, or the first on PATH. */
function resolveWord(word: string, search: ClaudeSearch): string | undefined {
  if (word.includes('/')) {
    const path = word.startsWith('/') ? word : join(search.cwd, word);
    return search.isExecutable(path) ? path : undefined;
  }
  return onPath(word, search);
}

function onPath(name: string, search: ClaudeSearch): string | undefined {
  for (const dir of (search.env.PATH ?? '').split(':')) {
    if (!dir.startsWith('/')) continue;
    const candidate = join(dir, name);
    if (search.isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** A known install place that exists; for an AppImage glob, the newest-looking name (sorted last). */
function installed(place: string, search: ClaudeSearch): string | undefined {
  const path = place.startsWith('~/') ? join(search.home, place.slice(2)) : place;
  const star = path.lastIndexOf('*');
  if (star === -1) return search.isExecutable(path) ? path : undefined;
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash);
  const [prefix, suffix] = path.slice(slash + 1).split('*') as [string, string];
  const names = search
    .listDir(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith(suffix))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const name of names.reverse()) if (search.isExecutable(join(dir, name))) return join(dir, name);
  return undefined;
}

function commandWords(command: string | readonly string[]): string[] {
  return typeof command === 'string' ? splitCommand(command) : [...command];
}

/**
 * Finds Claude Desktop, in this order: `CMGR_CLAUDE_COMMAND`, `claudeCommand` in config.json,
 * `claude-desktop` on PATH, then {@link CLAUDE_INSTALL_PLACES}. A command that is set but whose binary is
 * missing is an error naming it (it is not silently replaced by another install).
 *
 * @throws {@link CmgrConfigError} `ENOCLAUDE`: one line saying where it looked and how to set it.
 * @example
 * ```ts
 * const found = findClaudeDesktop({ env: process.env, configFile, home, cwd: process.cwd(), isExecutable, listDir });
 * spawn(found.argv[0], found.argv.slice(1));
 * ```
 */
export function findClaudeDesktop(search: ClaudeSearch): FoundClaude {
  const fromEnv = search.env.CMGR_CLAUDE_COMMAND;
  const set: [ClaudeSource, string, string | readonly string[]] | undefined =
    fromEnv !== undefined && fromEnv.trim() !== ''
      ? ['CMGR_CLAUDE_COMMAND', 'CMGR_CLAUDE_COMMAND', fromEnv]
      : search.configured !== undefined
        ? ['config', search.configFile, search.configured]
        : undefined;
  if (set) {
    const [source, where, command] = set;
    const argv = commandWords(command);
    const first = argv[0];
    if (first === undefined || first === '') {
      throw new CmgrConfigError(
        'ENOCLAUDE',
        `the Claude Desktop command from ${where} is empty; set CMGR_CLAUDE_COMMAND or "claudeCommand" in ${search.configFile}`,
      );
    }
    const path = resolveWord(first, search);
    if (path === undefined) {
      throw new CmgrConfigError(
        'ENOCLAUDE',
        `Claude Desktop command '${first}' (from ${where}) was not found or is not executable; fix the path`,
      );
    }
    return { argv, source, path };
  }
  const onThePath = onPath(CLAUDE_DESKTOP_BINARY, search);
  if (onThePath) return { argv: [onThePath], source: 'PATH', path: onThePath };
  for (const place of CLAUDE_INSTALL_PLACES) {
    const path = installed(place, search);
    if (path) return { argv: [path], source: 'install', path };
  }
  throw new CmgrConfigError(
    'ENOCLAUDE',
    `Claude Desktop not found: looked at CMGR_CLAUDE_COMMAND and "claudeCommand" in ${search.configFile} (both unset), ` +
      `'${CLAUDE_DESKTOP_BINARY}' on PATH, and ${CLAUDE_INSTALL_PLACES.join(', ')}; install it ` +
      `(claude-desktop-debian's .deb or AppImage), or set CMGR_CLAUDE_COMMAND or "claudeCommand" in ${search.configFile}`,
  );
}

/** What decides the flags Claude Desktop is started with. */
export interface LaunchFlagOptions {
  /** Whether the instance runs inside bubblewrap, where Electron's own sandbox cannot nest. */
  readonly bubblewrap: boolean;
  /** `noSandbox` of config.json: `false` keeps Electron's sandbox even in bubblewrap. Default `true`. */
  readonly noSandbox?: boolean | undefined;
  /** The session's variables: `XDG_SESSION_TYPE`, `WAYLAND_DISPLAY`, `DISPLAY`. */
  readonly session: Readonly<Record<string, string | undefined>>;
  /** The window class of the instance (see `windowClass`), so its windows group under its launcher. */
  readonly windowClass: string;
}

/**
 * The flags cmgr adds after the Claude Desktop command: `--no-sandbox` inside bubblewrap (unless turned
 * off), the platform hint of the session (Wayland when the session is Wayland and a Wayland display is
 * set, else X11 when `DISPLAY` is set), and `--class=<windowClass>`.
 *
 * @example
 * ```ts
 * launchFlags({ bubblewrap: true, session: { DISPLAY: ':0' }, windowClass: 'cmgr-work' });
 * // ['--no-sandbox', '--ozone-platform=x11', '--class=cmgr-work']
 * ```
 */
export function launchFlags(options: LaunchFlagOptions): string[] {
  const flags: string[] = [];
  if (options.bubblewrap && options.noSandbox !== false) flags.push('--no-sandbox');
  const { XDG_SESSION_TYPE, WAYLAND_DISPLAY, DISPLAY } = options.session;
  if (XDG_SESSION_TYPE === 'wayland' && WAYLAND_DISPLAY) {
    flags.push('--ozone-platform=wayland', '--enable-features=UseOzonePlatform,WaylandWindowDecorations');
  } else if (DISPLAY) {
    flags.push('--ozone-platform=x11');
  }
  flags.push(`--class=${options.windowClass}`);
  return flags;
}
