import { type FindFreePortOptions, validateFindFreePortOptions } from './options.js';
import { planFor, probeWithPlan } from './plan.js';

/**
 * The first port of `range`, in order, that is neither in `exclude` nor in use (see
 * {@link isPortInUse}), or `undefined` when there is none. Never a port outside the range.
 *
 * The answer is a snapshot: another process may take the port before you listen on it, so listen
 * and handle `EADDRINUSE` (or reserve ports through a registry that serialises the choice).
 *
 * @throws {ProbeError} `EINVALIDPORT` for a bad range or `exclude` entry (named in the message),
 * `EINVALIDOPTION`, `EHOSTUNAVAILABLE` or `EPROBEFAILED` as for {@link isPortInUse}. Rejects with
 * `signal.reason` when aborted.
 *
 * @example
 * ```ts source="./index.examples.ts#findFreePort"
 * const port = await findFreePort({ range: [8765, 8775], exclude: [8766] });
 * if (port === undefined) throw new Error('8765-8775 are all taken');
 * ```
 */
export async function findFreePort(options: FindFreePortOptions): Promise<number | undefined> {
  const { start, end, exclude, host, signal } = validateFindFreePortOptions(options);
  const plan = await planFor(host, signal);
  for (let port = start; port <= end; port++) {
    if (exclude.has(port)) continue;
    if (!(await probeWithPlan(port, plan, signal))) return port;
  }
  return undefined;
}
