import type { Context } from '../context.js';
import { CmgrError } from '../errors.js';
import { print } from '../output.js';
import { checkInstanceName } from '../paths.js';
import { isRunning } from '../proc.js';
import { checkShareDir, sharePath, withoutShare, withShare } from '../shares.js';
import { getInstance, type InstanceRecord, updateState, withInstance } from '../state.js';

const later = (record: InstanceRecord, name: string): string =>
  record.process && record.process.sandbox === 'bwrap' ? `; restart '${name}' for it to take effect` : '';

/** `cmgr share <instance> <dir> [--read-only]`: the folder is bound at the same path inside from the next start. */
export async function share({ instance, args, flags, paths }: Context): Promise<number> {
  const name = checkInstanceName(instance ?? '');
  const path = sharePath(args[0] ?? '');
  const readOnly = flags['read-only'] === true;
  const record = await updateState(paths, async (state) => {
    const current = getInstance(state, name);
    await checkShareDir(path);
    const next: InstanceRecord = { ...current, shares: withShare(current.shares ?? [], { path, readOnly }) };
    return { state: { ...state, registry: withInstance(state.registry, name, next) }, result: next };
  });
  const running = (await isRunning(record.process)) ? later(record, name) : '';
  print(`shared ${path} with '${name}'${readOnly ? ' (read-only)' : ''}${running}`);
  return 0;
}

/** `cmgr unshare <instance> <dir>`. */
export async function unshare({ instance, args, paths }: Context): Promise<number> {
  const name = checkInstanceName(instance ?? '');
  const path = sharePath(args[0] ?? '');
  const record = await updateState(paths, async (state) => {
    const current = getInstance(state, name);
    const rest = withoutShare(current.shares ?? [], path);
    if (rest === undefined) {
      const shared = (current.shares ?? []).map((s) => s.path);
      throw new CmgrError(
        'ENOTSHARED',
        `${path} is not shared with '${name}' (${shared.length > 0 ? `shared: ${shared.join(', ')}` : 'it shares no folder'})`,
      );
    }
    const { shares: _old, ...others } = current;
    const next: InstanceRecord = rest.length > 0 ? { ...others, shares: rest } : others;
    return { state: { ...state, registry: withInstance(state.registry, name, next) }, result: next };
  });
  const running = (await isRunning(record.process)) ? later(record, name) : '';
  print(`unshared ${path} from '${name}'${running}`);
  return 0;
}
