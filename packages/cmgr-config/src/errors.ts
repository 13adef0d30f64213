/**
 * Every failure of `@ports/cmgr-config`, told apart by {@link CmgrConfigError.code}:
 *
 * - `EINVALIDNAME`: an instance name outside `^[a-z0-9][a-z0-9_-]{0,31}$`.
 * - `EINVALIDOPTION`: a slot, base port, range size, offset map or instance field that is not usable.
 * - `EINVALIDPORTENV`: `MCP_BASE_PORT` or `MCP_PORT_RANGE` is not a usable integer.
 * - `ERANGEOVERFLOW`: a port range that would pass 65535.
 * - `ESLOTSEXHAUSTED`: no free slot left below port 65536.
 * - `EOFFSETSEXHAUSTED`: more tools in one instance than free offsets in +10..+99.
 * - `ECONFIGJSON`: the config text is not JSON.
 * - `ECONFIGINVALID`: the config does not match the expected shape; the message names the path.
 * - `EENVCOLLISION`: two servers would be started with the same `<TOOL>_PORT` variable.
 * - `EINVALIDRECORD`: a ports record given to `resetPorts` is not one `portsRecord` returned.
 * - `EINVALIDPASSENV`: a `--pass-env` / `passEnv` entry that is not `NAME` or `NAME=VALUE`, or names a
 *   variable cmgr sets itself.
 * - `EINVALIDCOMMAND`: a Claude Desktop command string with an unclosed quote.
 * - `ENOCLAUDE`: Claude Desktop was not found, or the command set for it names a missing binary.
 */
export type CmgrConfigErrorCode =
  | 'EINVALIDNAME'
  | 'EINVALIDOPTION'
  | 'EINVALIDPORTENV'
  | 'ERANGEOVERFLOW'
  | 'ESLOTSEXHAUSTED'
  | 'EOFFSETSEXHAUSTED'
  | 'ECONFIGJSON'
  | 'ECONFIGINVALID'
  | 'EENVCOLLISION'
  | 'EINVALIDRECORD'
  | 'EINVALIDPASSENV'
  | 'EINVALIDCOMMAND'
  | 'ENOCLAUDE';

/**
 * The one error class of this package. `code` is stable and meant for programs (a CLI maps it to an exit
 * code); `message` is one line for people, saying what was wrong and what to do.
 *
 * @example
 * ```ts source="./index.examples.ts#CmgrConfigError"
 * try {
 *   validateInstanceName('../etc');
 * } catch (error) {
 *   if (error instanceof CmgrConfigError && error.code === 'EINVALIDNAME') console.error(error.message);
 * }
 * ```
 */
export class CmgrConfigError extends Error {
  override readonly name = 'CmgrConfigError';
  readonly code: CmgrConfigErrorCode;
  /** For `ECONFIGINVALID`: the path of the first bad field, e.g. `mcpServers.fs.args[1]`. */
  readonly path?: string;

  constructor(code: CmgrConfigErrorCode, message: string, options?: { cause?: unknown; path?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options?.path !== undefined) this.path = options.path;
  }
}

/** Shows a caller's value in a message without letting a huge or multi-line value flood it. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
