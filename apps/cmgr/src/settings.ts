import { readFile } from 'node:fs/promises';
import { CmgrError } from './errors.js';
import type { Paths } from './paths.js';

/** What config.json says about one instance. */
export interface InstanceSettings {
  /** Variables to pass into this instance, as `--pass-env` takes them. */
  readonly passEnv?: readonly string[];
}

/** `$CMGR_HOME/config.json`: the user's settings, read (never written) by cmgr. */
export interface Settings {
  /** The Claude Desktop command: a string split like a shell would, or the words themselves. */
  readonly claudeCommand?: string | readonly string[];
  /** The default of `cmgr start --sandbox`. */
  readonly sandbox?: string;
  /** Variables to pass into every instance (`NAME` or `NAME=VALUE`). */
  readonly passEnv?: readonly string[];
  /** `false`: keep Electron's own sandbox inside bubblewrap (no `--no-sandbox`). Default `true`. */
  readonly noSandbox?: boolean;
  /** Per-instance settings, by instance name. */
  readonly instances?: Readonly<Record<string, InstanceSettings>>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((word) => typeof word === 'string');

/** Reads `$CMGR_HOME/config.json`; a missing file is no settings, a bad one an `ECONFIG` error naming it. */
export async function readSettings(paths: Paths): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(paths.config, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CmgrError('ECONFIG', `${paths.config} is not valid JSON; fix it`, { cause: error });
  }
  const bad = (what: string): CmgrError => new CmgrError('ECONFIG', `${paths.config}: ${what}; fix it`);
  if (!isObject(value)) throw new CmgrError('ECONFIG', `${paths.config} must hold a JSON object; fix it`);
  const { claudeCommand, sandbox, passEnv, noSandbox, instances } = value;
  if (claudeCommand !== undefined && typeof claudeCommand !== 'string' && !isStrings(claudeCommand)) {
    throw new CmgrError('ECONFIG', `${paths.config}: claudeCommand must be a string or an array of strings`);
  }
  if (sandbox !== undefined && typeof sandbox !== 'string') {
    throw new CmgrError('ECONFIG', `${paths.config}: sandbox must be "auto", "bwrap" or "none"`);
  }
  if (passEnv !== undefined && !isStrings(passEnv))
    throw bad('passEnv must be an array of "NAME" or "NAME=VALUE" strings');
  if (noSandbox !== undefined && typeof noSandbox !== 'boolean') throw bad('noSandbox must be true or false');
  if (instances !== undefined) {
    if (!isObject(instances)) throw bad('instances must be an object of instance name to settings');
    for (const [name, entry] of Object.entries(instances)) {
      if (!isObject(entry)) throw bad(`instances.${name} must be an object`);
      if (entry.passEnv !== undefined && !isStrings(entry.passEnv))
        throw bad(`instances.${name}.passEnv must be an array of "NAME" or "NAME=VALUE" strings`);
    }
  }
  return {
    ...(claudeCommand !== undefined && { claudeCommand: claudeCommand as string | string[] }),
    ...(sandbox !== undefined && { sandbox }),
    ...(passEnv !== undefined && { passEnv }),
    ...(noSandbox !== undefined && { noSandbox }),
    ...(instances !== undefined && { instances: instances as Record<string, InstanceSettings> }),
  };
}
