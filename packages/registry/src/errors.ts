/** Every `code` a {@link RegistryError} can carry. */
export type RegistryErrorCode =
  /** An option or environment variable has a bad value. */
  | 'EINVALIDOPTION'
  /** No port in the range is free; the message lists who holds each one. */
  | 'EPORTSEXHAUSTED'
  /** Another live process already holds an entry with this instance id. */
  | 'EINSTANCEIDTAKEN'
  /** The registry path is a symlink; it is refused, never followed. */
  | 'EREGISTRYSYMLINK'
  /** The registry file belongs to another user. */
  | 'EREGISTRYOWNER'
  /** The registry file or its directory could not be read or written. */
  | 'EREGISTRYIO'
  /** Our entry was evicted and its port now belongs to another instance. */
  | 'EPORTLOST'
  /** The operation names an instance this registry has not allocated. */
  | 'ENOTALLOCATED';

/**
 * The one error class of `@ports/registry`. `code` says what went wrong; the message says
 * what to do about it; `cause` carries the underlying error where there is one.
 */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly code: RegistryErrorCode;

  constructor(code: RegistryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Whether `error` is a {@link RegistryError}, optionally with the given code. */
export function isRegistryError(error: unknown, code?: RegistryErrorCode): error is RegistryError {
  return error instanceof RegistryError && (code === undefined || error.code === code);
}
