import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { applicationsDir, cmgrInvocation } from '../applications.js';
import type { Context } from '../context.js';
import { makeDirectories, writeFileAtomic } from '../files.js';
import { note, print } from '../output.js';
import { checkInstanceName } from '../paths.js';
import { isRunning } from '../proc.js';
import { findOnPath } from '../sandbox/mode.js';
import { getInstance, type InstanceRecord, type Registry, updateState, withInstance } from '../state.js';

/** Marks `name` as the instance waiting for a sign-in link, and no other. */
export function markLogin(registry: Registry, name: string, at: string | undefined): Registry {
  let next = registry;
  for (const record of Object.values(registry.instances)) {
    const { loginPending: _, ...rest } = record;
    const marked: InstanceRecord =
      record.name === name && at !== undefined ? { ...rest, loginPending: at } : rest;
    if (record.loginPending !== marked.loginPending) next = withInstance(next, record.name, marked);
  }
  return next;
}

/**
 * `cmgr login <instance>`: marks the instance that waits for a sign-in link and registers cmgr as the
 * handler of `claude://` (a `.desktop` with `MimeType=x-scheme-handler/claude;`, made the default with
 * `xdg-mime` where it exists), so the link reaches that instance's profile and no other.
 */
export async function login({ instance, env, paths }: Context): Promise<number> {
  const name = checkInstanceName(instance ?? '');
  const core = await import('@ports/cmgr-config/core');
  const record = await updateState(paths, async (state) => {
    const current = getInstance(state, name);
    const registry = markLogin(state.registry, name, new Date().toISOString());
    return { state: { ...state, registry }, result: current };
  });
  const dir = applicationsDir(env, paths);
  await makeDirectories(dir);
  const handler = join(dir, core.URL_HANDLER_FILE);
  await writeFileAtomic(handler, core.urlHandlerEntry(cmgrInvocation(env, paths)));
  const xdgMime = await findOnPath('xdg-mime', env.PATH ?? '');
  if (xdgMime) {
    const run = spawnSync(xdgMime, ['default', core.URL_HANDLER_FILE, core.CLAUDE_URL_MIME], {
      env,
      encoding: 'utf8',
      timeout: 10_000,
    });
    if (run.status !== 0) {
      note(
        `xdg-mime could not make ${handler} the default for claude:// links (${(run.stderr || `exit ${run.status}`).trim()}); set it in your desktop's default applications`,
      );
    }
  } else {
    note(
      `xdg-mime is not on PATH: make ${handler} your default for claude:// links by hand (install xdg-utils to have cmgr do it)`,
    );
  }
  const hint = (await isRunning(record.process))
    ? `sign in from its window now`
    : `start it ('cmgr start ${name}') and sign in`;
  print(`'${name}' waits for a sign-in link: ${hint}; claude:// links go to it (handler ${handler})`);
  return 0;
}
