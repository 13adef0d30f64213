import type { Context } from '../context.js';
import { CmgrError, usageError } from '../errors.js';
import { note, print } from '../output.js';
import { readState, updateState } from '../state.js';
import { markLogin } from './login.js';
import { startInstance } from './start.js';

/**
 * `cmgr open-url <url>`, the `claude://` handler `cmgr login` registers: hands the link to the instance
 * marked by `cmgr login` (else the most recently started one, and says so) by launching that instance's
 * Claude Desktop in its sandbox with the URL. Only that instance gets it.
 */
export async function openUrl(context: Context): Promise<number> {
  const [url] = context.args;
  if (url === undefined || !/^claude:\/\//i.test(url) || /[\0\n\r]/.test(url)) {
    throw usageError(`'cmgr open-url' takes a claude:// link, got ${JSON.stringify(url ?? '')}`);
  }
  const { registry } = await readState(context.paths);
  const records = Object.values(registry.instances);
  const marked = records
    .filter((record) => record.loginPending !== undefined)
    .sort((a, b) => (a.loginPending! < b.loginPending! ? 1 : -1))[0];
  let target = marked;
  if (!target) {
    target = records
      .filter((record) => record.process !== undefined)
      .sort((a, b) => (a.process!.started < b.process!.started ? 1 : -1))[0];
    if (!target) {
      throw new CmgrError(
        'EFAILED',
        "no instance waits for a sign-in link and none was ever started; run 'cmgr login <instance>' first",
      );
    }
    note(
      `no instance waits for a sign-in link ('cmgr login <instance>' marks one); giving it to '${target.name}', the most recently started`,
    );
  }
  const name = target.name;
  const done = await startInstance(context, name, url);
  if (marked) {
    await updateState(context.paths, async (state) => ({
      state: { ...state, registry: markLogin(state.registry, name, undefined) },
      result: undefined,
    }));
  }
  print(
    done.handedOver
      ? `handed the link to '${name}' (pid ${done.pid})`
      : `started '${name}' with the link (pid ${done.pid}); output in ${done.log}`,
  );
  return 0;
}
