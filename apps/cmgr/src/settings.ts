import { readFile } from 'node:fs/promises';
import { CmgrError } from './errors.js';
import type { Paths } from './paths.js';

/** `$CMGR_HOME/config.json`: the user's settings, read (never written) by cmgr. */
export interface Settings {
  /** The Claude Desktop command: a string split like a shell would, or the words themselves. */
  readonly claudeCommand?: string | readonly string[];
  /** The default of `cmgr start --sandbox`. */
  readonly sandbox?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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
  if (!isObject(value)) throw new CmgrError('ECONFIG', `${paths.config} must hold a JSON object; fix it`);
  const { claudeCommand, sandbox } = value;
  if (
    claudeCommand !== undefined &&
    typeof claudeCommand !== 'string' &&
    !(Array.isArray(claudeCommand) && claudeCommand.every((word) => typeof word === 'string'))
  ) {
    throw new CmgrError('ECONFIG', `${paths.config}: claudeCommand must be a string or an array of strings`);
  }
  if (sandbox !== undefined && typeof sandbox !== 'string') {
    throw new CmgrError('ECONFIG', `${paths.config}: sandbox must be "auto", "bwrap" or "none"`);
  }
  return {
    ...(claudeCommand !== undefined && { claudeCommand: claudeCommand as string | string[] }),
    ...(sandbox !== undefined && { sandbox }),
  };
}
