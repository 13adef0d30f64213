import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Paths } from './paths.js';

/** `${XDG_DATA_HOME:-~/.local/share}/applications`, where launchers and URL handlers go. */
export function applicationsDir(env: NodeJS.ProcessEnv, paths: Paths): string {
  const data = env.XDG_DATA_HOME?.startsWith('/')
    ? env.XDG_DATA_HOME
    : join(paths.userHome, '.local', 'share');
  return join(data, 'applications');
}

/**
 * The words that run this cmgr from a desktop entry: node and cmgr's script (real paths), preceded by
 * `env CMGR_HOME=… CMGR_SANDBOXES=…` when those are set, so the launcher reaches the same state.
 */
export function cmgrInvocation(env: NodeJS.ProcessEnv, paths: Paths): string[] {
  const script = process.argv[1] ? realpathSync(process.argv[1]) : 'cmgr';
  const vars: string[] = [];
  if (env.CMGR_HOME) vars.push(`CMGR_HOME=${paths.home}`);
  if (env.CMGR_SANDBOXES) vars.push(`CMGR_SANDBOXES=${paths.sandboxes}`);
  return [...(vars.length > 0 ? ['env', ...vars] : []), process.execPath, script];
}
