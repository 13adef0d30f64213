import { CmgrConfigError, show } from './errors.js';

/**
 * The host variables a desktop app needs, passed into every instance as they are: the search path,
 * locale and time zone, the terminal, the display (X11 or Wayland), the session's runtime folder, desktop
 * and bus, sound, input methods and scaling. Everything else of the host (tokens, keys, proxies, the
 * host's `XDG_CONFIG_HOME`) stays out unless the user names it with `--pass-env` or `passEnv`.
 */
export const DESKTOP_ENV: readonly string[] = Object.freeze([
  'PATH',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TERM',
  'COLORTERM',
  'DISPLAY',
  'XAUTHORITY',
  'WAYLAND_DISPLAY',
  'XDG_RUNTIME_DIR',
  'XDG_SESSION_TYPE',
  'XDG_SESSION_DESKTOP',
  'XDG_CURRENT_DESKTOP',
  'DESKTOP_SESSION',
  'DBUS_SESSION_BUS_ADDRESS',
  'PULSE_SERVER',
  'PIPEWIRE_REMOTE',
  'XMODIFIERS',
  'GTK_IM_MODULE',
  'QT_IM_MODULE',
  'GDK_SCALE',
  'GDK_DPI_SCALE',
  'QT_SCALE_FACTOR',
  'XCURSOR_THEME',
  'XCURSOR_SIZE',
]);

/** Prefixes of host variables passed like {@link DESKTOP_ENV}: the locale categories. */
export const DESKTOP_ENV_PREFIXES: readonly string[] = Object.freeze(['LC_']);

/** Whether a host variable is one a desktop app needs (see {@link DESKTOP_ENV}). */
export function isDesktopVariable(name: string): boolean {
  return DESKTOP_ENV.includes(name) || DESKTOP_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** A variable the user asked to pass: its host value (no `value`) or the value given (`NAME=VALUE`). */
export interface PassedVariable {
  readonly name: string;
  readonly value?: string;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads `--pass-env` / `passEnv` entries: `NAME` passes the host's value, `NAME=VALUE` sets one.
 * `source` names where they came from in errors (`--pass-env`, `config.json passEnv`).
 *
 * @throws {@link CmgrConfigError} `EINVALIDPASSENV` naming the entry and the source.
 * @example
 * ```ts
 * parsePassEnv(['GITHUB_TOKEN', 'LOG_LEVEL=debug'], '--pass-env');
 * // [{ name: 'GITHUB_TOKEN' }, { name: 'LOG_LEVEL', value: 'debug' }]
 * ```
 */
export function parsePassEnv(entries: readonly unknown[], source: string): PassedVariable[] {
  return entries.map((entry, index) => {
    if (typeof entry !== 'string') {
      throw new CmgrConfigError(
        'EINVALIDPASSENV',
        `${source}[${index}] must be a string NAME or NAME=VALUE, got ${show(entry)}`,
      );
    }
    const eq = entry.indexOf('=');
    const name = eq === -1 ? entry : entry.slice(0, eq);
    if (!VARIABLE_NAME.test(name)) {
      throw new CmgrConfigError(
        'EINVALIDPASSENV',
        `${source} ${show(entry)}: a variable name is letters, digits and "_", not starting with a digit`,
      );
    }
    if (entry.includes('\0')) {
      throw new CmgrConfigError('EINVALIDPASSENV', `${source} ${show(name)}: the value contains a NUL byte`);
    }
    return eq === -1 ? { name } : { name, value: entry.slice(eq + 1) };
  });
}

/** The XDG base folders inside an instance's home, so each instance keeps its own profile and login. */
export function xdgFolders(home: string): Record<string, string> {
  const at = (path: string): string => `${home.replace(/\/+$/, '')}/${path}`;
  return {
    XDG_CONFIG_HOME: at('.config'),
    XDG_DATA_HOME: at('.local/share'),
    XDG_CACHE_HOME: at('.cache'),
    XDG_STATE_HOME: at('.local/state'),
  };
}

/** What {@link instanceEnvironment} builds an instance's environment from. */
export interface EnvironmentSources {
  /** The environment cmgr runs in. Only {@link DESKTOP_ENV} and the passed variables are read from it. */
  readonly host: Readonly<Record<string, string | undefined>>;
  /** What the user named (see {@link parsePassEnv}), in order: a later entry wins. */
  readonly pass: readonly PassedVariable[];
  /** cmgr's own: HOME, USER, the XDG folders, CLAUDE_INSTANCE, MCP_* and each tool's port. */
  readonly own: Readonly<Record<string, string>>;
}

/**
 * The environment an instance starts with: empty, plus the desktop allowlist from the host, plus what the
 * user passed, plus cmgr's own variables. A passed host variable that is unset is left out.
 *
 * @throws {@link CmgrConfigError} `EINVALIDPASSENV` when the user names one of cmgr's own variables.
 * @example
 * ```ts
 * instanceEnvironment({
 *   host: process.env,
 *   pass: parsePassEnv(['GITHUB_TOKEN'], '--pass-env'),
 *   own: { HOME: '/home/claude', CLAUDE_INSTANCE: 'work' },
 * });
 * ```
 */
export function instanceEnvironment(sources: EnvironmentSources): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(sources.host)) {
    if (value !== undefined && isDesktopVariable(name)) env[name] = value;
  }
  for (const passed of sources.pass) {
    if (Object.hasOwn(sources.own, passed.name)) {
      throw new CmgrConfigError(
        'EINVALIDPASSENV',
        `cannot pass ${passed.name}: cmgr sets it for the instance itself; drop it from --pass-env or passEnv`,
      );
    }
    const value = passed.value ?? sources.host[passed.name];
    if (value === undefined) delete env[passed.name];
    else env[passed.name] = value;
  }
  return Object.assign(env, sources.own);
}
