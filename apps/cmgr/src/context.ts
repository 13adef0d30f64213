import type { Flags } from './args.js';
import { CmgrError } from './errors.js';
import type { Paths } from './paths.js';

/** What every command gets: the parsed command line, the environment and resolved paths. */
export interface Context {
  readonly instance: string | undefined;
  /** Positionals after the instance. */
  readonly args: readonly string[];
  readonly flags: Flags;
  /** Words after `--` (only commands that take them get any). */
  readonly rest: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly paths: Paths;
  readonly color: boolean;
}

/** What a command resolves with: its exit code. */
export type Command = (context: Context) => Promise<number>;

/**
 * Turns an error of @ports/cmgr-config into a CmgrError: bad names and MCP_* values are usage errors,
 * a bad claude_desktop_config.json names the file. Checked by name so this module need not import
 * that package (and its schema library).
 */
export function fromConfigError(error: unknown, file?: string): unknown {
  if (!(error instanceof Error) || error.name !== 'CmgrConfigError') return error;
  const code = (error as Error & { code?: string }).code;
  switch (code) {
    case 'EINVALIDNAME':
    case 'EINVALIDPORTENV':
      return new CmgrError('EUSAGE', error.message, { cause: error });
    case 'ECONFIGJSON':
    case 'ECONFIGINVALID':
    case 'EENVCOLLISION':
      return new CmgrError('ECONFIG', file ? `${file}: ${error.message}` : error.message, { cause: error });
    default:
      return new CmgrError('EFAILED', error.message, { cause: error });
  }
}
