import { validateInstanceName } from './name.js';

/**
 * The window class of an instance, `cmgr-<instance>`: Claude Desktop is started with `--class=` it and
 * its launcher says `StartupWMClass=` it, so each instance's windows group under their own icon.
 */
export function windowClass(instance: string): string {
  return `cmgr-${validateInstanceName(instance)}`;
}

/** The file name of an instance's launcher in `applications/`: `cmgr-<instance>.desktop`. */
export function launcherFileName(instance: string): string {
  return `cmgr-${validateInstanceName(instance)}.desktop`;
}

/** The file name of the `claude://` handler cmgr registers (`cmgr login`). */
export const URL_HANDLER_FILE = 'cmgr-open-url.desktop';

/** The MIME type of `claude://` links. */
export const CLAUDE_URL_MIME = 'x-scheme-handler/claude';

/** The icon of a launcher: the one the Linux builds of Claude Desktop install. */
export const LAUNCHER_ICON = 'claude-desktop';

/**
 * Quotes one word for the `Exec` key of a desktop entry (Desktop Entry Specification, "The Exec key"):
 * a word with a reserved character is double-quoted with `"`, `` ` ``, `$` and `\` escaped; `%` is
 * doubled so it is never read as a field code. Then the string escapes of the format (`\` doubled).
 */
export function execWord(word: string): string {
  const percent = word.replaceAll('%', '%%');
  const quoted =
    /[\s"'\\><~|&;$*?#()`]/.test(percent) || percent === ''
      ? `"${percent.replace(/["`$\\]/g, (char) => `\\${char}`)}"`
      : percent;
  return quoted.replaceAll('\\', '\\\\');
}

/** A value for a desktop entry string key: one line, with the format's escapes. */
function entryValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}

/** What an instance's launcher runs and shows. */
export interface LauncherOptions {
  readonly instance: string;
  /** The words that run cmgr (for example node and cmgr's script, with `env CMGR_HOME=…` in front). */
  readonly cmgr: readonly string[];
  /** Default {@link LAUNCHER_ICON}. */
  readonly icon?: string;
}

/**
 * The `cmgr-<instance>.desktop` launcher: `Name` with the instance, `Exec=<cmgr> start <instance>`, an
 * `Icon`, and `StartupWMClass` = {@link windowClass}.
 *
 * @example
 * ```ts
 * launcherEntry({ instance: 'work', cmgr: ['/usr/bin/cmgr'] });
 * // "[Desktop Entry]\nType=Application\nName=Claude (work)\n...Exec=/usr/bin/cmgr start work\n..."
 * ```
 */
export function launcherEntry(options: LauncherOptions): string {
  const instance = validateInstanceName(options.instance);
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=Claude (${instance})`,
    `Comment=${entryValue(`Claude Desktop instance '${instance}', sandboxed by cmgr`)}`,
    `Exec=${[...options.cmgr, 'start', instance].map(execWord).join(' ')}`,
    `Icon=${entryValue(options.icon ?? LAUNCHER_ICON)}`,
    `StartupWMClass=${windowClass(instance)}`,
    'Terminal=false',
    'Categories=Office;Utility;',
    '',
  ].join('\n');
}

/**
 * The `claude://` handler: `Exec=<cmgr> open-url %u` and `MimeType=x-scheme-handler/claude;`, hidden
 * from menus.
 */
export function urlHandlerEntry(cmgr: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Claude sign-in (cmgr)',
    'Comment=Hands claude:// links to the cmgr instance waiting for a sign-in',
    `Exec=${[...cmgr, 'open-url'].map(execWord).join(' ')} %u`,
    `MimeType=${CLAUDE_URL_MIME};`,
    'NoDisplay=true',
    'Terminal=false',
    '',
  ].join('\n');
}
