import { delimiter, join } from 'node:path';
import { CmgrError, usageError } from '../errors.js';
import { isExecutable } from '../launch.js';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings.js';
import type { StartedSandbox } from '../state.js';

/** How `cmgr start` isolates an instance: `auto` (bubblewrap when installed), `bwrap` (required), `none`. */
export type SandboxMode = 'auto' | 'bwrap' | 'none';

/** The modes, in the order help lists them. */
export const SANDBOX_MODES: readonly SandboxMode[] = ['auto', 'bwrap', 'none'];

/** How to install bubblewrap, said once wherever it is missing. */
export const INSTALL_BWRAP =
  "install bubblewrap ('sudo apt install bubblewrap', 'sudo dnf install bubblewrap' or 'sudo pacman -S bubblewrap')";

const isMode = (value: string): value is SandboxMode => (SANDBOX_MODES as readonly string[]).includes(value);

/**
 * The mode asked for: `--sandbox`, else `"sandbox"` in `$CMGR_HOME/config.json`, else `auto`. A bad flag
 * is a usage error (exit 2), a bad setting an invalid file (exit 3).
 */
export function requestedMode(flag: unknown, settings: Settings, paths: Paths): SandboxMode {
  if (flag !== undefined) {
    const value = String(flag);
    if (!isMode(value)) {
      throw usageError(`--sandbox must be one of ${SANDBOX_MODES.join(', ')}, got ${JSON.stringify(value)}`);
    }
    return value;
  }
  if (settings.sandbox !== undefined) {
    if (!isMode(settings.sandbox)) {
      throw new CmgrError(
        'ECONFIG',
        `${paths.config}: sandbox must be one of ${SANDBOX_MODES.join(', ')}, got ${JSON.stringify(settings.sandbox)}; fix it`,
      );
    }
    return settings.sandbox;
  }
  return 'auto';
}

/** The first executable `name` in the directories of `pathEnv`, or `undefined`. */
export async function findOnPath(name: string, pathEnv: string): Promise<string | undefined> {
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === '' || !dir.startsWith('/')) continue;
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** What `start` will do: the sandbox to use, bwrap's path for it, and a warning to print, if any. */
export interface SandboxChoice {
  readonly sandbox: StartedSandbox;
  readonly bwrap?: string;
  readonly warning?: string;
}

/**
 * Settles the mode into what to run. `bwrap` without bubblewrap on PATH is an `ENOSANDBOX` error before
 * anything is started, naming where the mode was asked for (`asked`: the flag, or the setting in
 * config.json); `auto` without it starts unsandboxed, with one warning saying how to install it.
 */
export async function chooseSandbox(
  mode: SandboxMode,
  name: string,
  env: NodeJS.ProcessEnv,
  asked = '--sandbox bwrap',
): Promise<SandboxChoice> {
  if (mode === 'none') return { sandbox: 'none' };
  const bwrap = await findOnPath('bwrap', env.PATH ?? '');
  if (bwrap !== undefined) return { sandbox: 'bwrap', bwrap };
  if (mode === 'bwrap') {
    throw new CmgrError(
      'ENOSANDBOX',
      `${asked} needs bubblewrap, and 'bwrap' is not on PATH; ${INSTALL_BWRAP}, or start with --sandbox none`,
    );
  }
  return {
    sandbox: 'none',
    warning: `'bwrap' is not on PATH, so '${name}' starts without a sandbox (it can read and write your home); ${INSTALL_BWRAP}, or set "sandbox": "none" in config.json to start unsandboxed without this warning`,
  };
}
