/** Codes of the errors a command can fail with; the server shows the message to the model. */
export type CommandErrorCode =
  | 'ESTALEREF'
  | 'EUNKNOWNREF'
  | 'ENOBOX'
  | 'ERESTRICTED'
  | 'ETIMEOUT'
  | 'ENAVIGATION'
  | 'EBADARGS'
  | 'ENOTAB'
  | 'EDEBUGGER';

/** A command that could not be done: a `code` and a message saying what to try. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly code: CommandErrorCode;

  constructor(code: CommandErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
