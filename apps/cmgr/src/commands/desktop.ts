import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { applicationsDir, cmgrInvocation } from '../applications.js';
import type { Context } from '../context.js';
import { lstatOrUndefined, makeDirectories, writeFileAtomic } from '../files.js';
import { print } from '../output.js';
import { checkInstanceName, type Paths } from '../paths.js';
import { getInstance, readState } from '../state.js';

/** `cmgr desktop <instance> [--remove]`: writes (or deletes) the instance's launcher. */
export async function desktop({ instance, flags, env, paths }: Context): Promise<number> {
  const name = checkInstanceName(instance ?? '');
  if (flags.remove === true) {
    const removed = await removeLauncher(name, env, paths);
    print(removed ? `removed the launcher of '${name}' (${removed})` : `'${name}' has no launcher`);
    return 0;
  }
  getInstance(await readState(paths), name);
  const core = await import('@ports/cmgr-config/core');
  const dir = applicationsDir(env, paths);
  await makeDirectories(dir);
  const file = join(dir, core.launcherFileName(name));
  await writeFileAtomic(file, core.launcherEntry({ instance: name, cmgr: cmgrInvocation(env, paths) }));
  print(`wrote the launcher of '${name}': ${file} (window class ${core.windowClass(name)})`);
  return 0;
}

/** Deletes the launcher of `name` when there is one; resolves with its path, or `undefined`. */
export async function removeLauncher(
  name: string,
  env: NodeJS.ProcessEnv,
  paths: Paths,
): Promise<string | undefined> {
  const { launcherFileName } = await import('@ports/cmgr-config/core');
  const file = join(applicationsDir(env, paths), launcherFileName(name));
  if ((await lstatOrUndefined(file)) === undefined) return undefined;
  await rm(file, { force: true });
  return file;
}
