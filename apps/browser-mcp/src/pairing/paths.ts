import { homedir } from 'node:os';
import { isAbsolute, join, resolve, win32 } from 'node:path';

/** The environment variable that names the pairing secret file, overriding the platform's folder. */
export const PAIRING_FILE_ENV = 'BROWSER_MCP_PAIRING_FILE';

/** The secret file's name inside the user's config folder. */
const FILE_NAME = 'pairing.json';

/**
 * Where this OS user's pairing secret lives: `BROWSER_MCP_PAIRING_FILE` when set; else the
 * platform's user config folder: `$XDG_CONFIG_HOME/browser-mcp/` (falling back to
 * `~/.config/browser-mcp/`) on Linux and other Unixes, `~/Library/Application Support/browser-mcp/`
 * on macOS, `%APPDATA%\browser-mcp\` on Windows.
 *
 * @example
 * ```ts
 * pairingFilePath({ XDG_CONFIG_HOME: '/home/ada/.config' }, 'linux', '/home/ada');
 * // '/home/ada/.config/browser-mcp/pairing.json'
 * ```
 */
export function pairingFilePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const named = env[PAIRING_FILE_ENV];
  if (named !== undefined && named !== '') return resolve(named);
  if (platform === 'win32') {
    const appData =
      env.APPDATA && win32.isAbsolute(env.APPDATA) ? env.APPDATA : win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, 'browser-mcp', FILE_NAME);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'browser-mcp', FILE_NAME);
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const config =
    env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, 'browser-mcp', FILE_NAME);
}
