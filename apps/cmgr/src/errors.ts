/**
 * Exit codes of `cmgr`, documented in `cmgr --help`. One place, so help text and behaviour cannot drift.
 */
export const EXIT = {
  ok: 0,
  /** Something failed at run time, or `cmgr ports` found a conflict. */
  failure: 1,
  /** Bad command line or environment: unknown command or flag, bad instance name, bad MCP_* value. */
  usage: 2,
  /** A file cmgr reads is invalid (a corrupt state file, a bad claude_desktop_config.json); nothing was changed. */
  invalidFile: 3,
  /** No such instance. */
  notFound: 4,
  /** The state lock stayed busy: another cmgr is running. */
  busy: 5,
} as const;

/**
 * Every failure `cmgr` reports, told apart by `code`:
 *
 * - `EUSAGE`: bad command line, name or environment value.
 * - `ESTATECORRUPT`: a state file under CMGR_HOME cannot be read as what cmgr wrote.
 * - `ECONFIG`: a claude_desktop_config.json or ~/.cmgr/config.json is invalid.
 * - `ENOTFOUND`: no instance of that name.
 * - `EEXISTS`: an instance of that name already exists.
 * - `ERUNNING`: the instance is running and the command needs it stopped, or it is already started.
 * - `ENOCOMMAND`: no Claude Desktop command configured, or its binary is missing.
 * - `ENOSANDBOX`: `--sandbox bwrap` and bubblewrap is not installed.
 * - `ESANDBOX`: bubblewrap could not create the sandbox (user namespaces turned off, a bind that fails).
 * - `ENOTSHARED`: `cmgr unshare` of a folder that is not shared.
 * - `ESYMLINK`: a path cmgr writes is a symbolic link.
 * - `EBUSY`: the state lock could not be taken in time.
 * - `EFAILED`: anything else that went wrong at run time.
 */
export type CmgrErrorCode =
  | 'EUSAGE'
  | 'ESTATECORRUPT'
  | 'ECONFIG'
  | 'ENOTFOUND'
  | 'EEXISTS'
  | 'ERUNNING'
  | 'ENOCOMMAND'
  | 'ENOSANDBOX'
  | 'ESANDBOX'
  | 'ENOTSHARED'
  | 'ESYMLINK'
  | 'EBUSY'
  | 'EFAILED';

const EXIT_FOR_CODE: Record<CmgrErrorCode, number> = {
  EUSAGE: EXIT.usage,
  ESTATECORRUPT: EXIT.invalidFile,
  ECONFIG: EXIT.invalidFile,
  ENOTFOUND: EXIT.notFound,
  EEXISTS: EXIT.failure,
  ERUNNING: EXIT.failure,
  ENOCOMMAND: EXIT.failure,
  ENOSANDBOX: EXIT.failure,
  ESANDBOX: EXIT.failure,
  ENOTSHARED: EXIT.failure,
  ESYMLINK: EXIT.failure,
  EBUSY: EXIT.busy,
  EFAILED: EXIT.failure,
};

/**
 * The one error class of the CLI. `message` is the single line printed on stderr: what went wrong and
 * what to do. `exitCode` follows from `code`.
 */
export class CmgrError extends Error {
  override readonly name = 'CmgrError';
  readonly code: CmgrErrorCode;

  constructor(code: CmgrErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** The process exit code for this error. */
  get exitCode(): number {
    return EXIT_FOR_CODE[this.code];
  }
}

/** Shorthand for the most common error: a bad command line. */
export function usageError(message: string): CmgrError {
  return new CmgrError('EUSAGE', message);
}
