import type { Context } from '../context.js';
import { usageError } from '../errors.js';
import { print } from '../output.js';
import { checkInstanceName } from '../paths.js';
import { getInstance, type RecordedProcess, readState, updateState, withInstance } from '../state.js';
import { DEFAULT_STOP_TIMEOUT_MS, type StopOutcome, stopProcess } from '../stopping.js';

/** Parses `--timeout <ms>`: digits only, at most a day. */
export function parseTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_STOP_TIMEOUT_MS;
  const text = String(value);
  const ms = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(ms >= 0 && ms <= 86_400_000)) {
    throw usageError(
      `--timeout must be a whole number of milliseconds (0-86400000), got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}

/** Stops an instance's recorded process group and clears the record (only if it still names that process). */
export async function stopInstance(context: Context, name: string, timeoutMs: number): Promise<StopOutcome> {
  const record = getInstance(await readState(context.paths), name);
  const recorded = record.process;
  // Signal outside the lock: a slow shutdown must not hold up every other cmgr.
  const outcome = await stopProcess(recorded, timeoutMs);
  if (recorded) await clearProcess(context, name, recorded);
  return outcome;
}

async function clearProcess(context: Context, name: string, recorded: RecordedProcess): Promise<void> {
  await updateState(context.paths, async (state) => {
    const current = state.registry.instances[name];
    // A start that raced this stop recorded a new process: leave it.
    if (
      !current?.process ||
      current.process.pid !== recorded.pid ||
      current.process.startTime !== recorded.startTime
    ) {
      return { result: undefined };
    }
    const { process: _cleared, ...rest } = current;
    return { state: { ...state, registry: withInstance(state.registry, name, rest) }, result: undefined };
  });
}

/** `cmgr stop <instance> [--timeout <ms>]`. */
export async function stop(context: Context): Promise<number> {
  const name = checkInstanceName(context.instance ?? '');
  const timeoutMs = parseTimeout(context.flags.timeout);
  const outcome = await stopInstance(context, name, timeoutMs);
  const said: Record<StopOutcome, string> = {
    'not-running': `'${name}' was not running`,
    terminated: `stopped '${name}'`,
    killed: `killed '${name}' (still running ${timeoutMs} ms after SIGTERM)`,
  };
  print(said[outcome]);
  return 0;
}
