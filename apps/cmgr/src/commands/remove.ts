import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Context } from '../context.js';
import { CmgrError, usageError } from '../errors.js';
import { lstatOrUndefined } from '../files.js';
import { print } from '../output.js';
import { checkInstanceName } from '../paths.js';
import { isRunning } from '../proc.js';
import { getInstance, readState, updateState, withInstance } from '../state.js';
import { DEFAULT_STOP_TIMEOUT_MS } from '../stopping.js';
import { removeLauncher } from './desktop.js';
import { stopInstance } from './stop.js';

async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

/** `cmgr remove <instance> [--yes]`: stop, free the slot, delete the sandbox. */
export async function remove(context: Context): Promise<number> {
  const name = checkInstanceName(context.instance ?? '');
  const record = getInstance(await readState(context.paths), name);
  if (context.flags.yes !== true) {
    if (!process.stdin.isTTY) {
      throw usageError(`removing '${name}' deletes ${record.sandbox}; pass --yes to confirm`);
    }
    if (!(await confirm(`Remove '${name}' and delete ${record.sandbox} with everything in it? [y/N] `))) {
      print('nothing removed');
      return 1;
    }
  }
  await stopInstance(context, name, DEFAULT_STOP_TIMEOUT_MS);

  await updateState(context.paths, async (state) => {
    const current = getInstance(state, name);
    if (await isRunning(current.process)) {
      throw new CmgrError('ERUNNING', `'${name}' was started again meanwhile; stop it and retry`);
    }
    await deleteSandbox(name, current.sandbox);
    const { [name]: _freed, ...allocated } = state.portRegistry.allocated_ports;
    return {
      state: {
        registry: withInstance(state.registry, name, undefined),
        portRegistry: { ...state.portRegistry, allocated_ports: allocated },
      },
      result: undefined,
    };
  });
  const launcher = await removeLauncher(name, context.env, context.paths);
  print(`removed '${name}'${launcher ? ` and its launcher ${launcher}` : ''}`);
  return 0;
}

/** Deletes a sandbox, but only one that looks like ours: named after the instance and a real directory. */
async function deleteSandbox(name: string, sandbox: string): Promise<void> {
  if (basename(sandbox) !== name) {
    throw new CmgrError(
      'ESTATECORRUPT',
      `registry.json records sandbox ${sandbox} for '${name}'; refusing to delete it`,
    );
  }
  const stats = await lstatOrUndefined(sandbox);
  if (stats === undefined) return;
  if (stats.isSymbolicLink() || !stats.isDirectory()) {
    throw new CmgrError(
      'ESYMLINK',
      `${sandbox} is not a real directory; remove it by hand, then run this again`,
    );
  }
  await rm(sandbox, { recursive: true, force: true });
}
