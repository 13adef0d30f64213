/**
 * Why a probe failed:
 * - `EINVALIDPORT`: a port, range or `exclude` entry is not an integer from 1 to 65535 (or the range is reversed).
 * - `EINVALIDOPTION`: another option has the wrong type (`host`, `signal`, the options object itself).
 * - `EHOSTUNAVAILABLE`: `host` is not an address of this machine, or resolves to none that can be bound.
 * - `EPROBEFAILED`: the operating system refused a probe for a reason that says nothing about the port
 *   (out of file descriptors, for instance); `cause` holds the system error.
 */
export type ProbeErrorCode = 'EINVALIDPORT' | 'EINVALIDOPTION' | 'EHOSTUNAVAILABLE' | 'EPROBEFAILED';

/**
 * The one error class of `@ports/probe`. Check `code` rather than the message.
 *
 * @example
 * ```ts source="./index.examples.ts#ProbeError"
 * try {
 *   await isPortInUse(70000);
 * } catch (error) {
 *   if (error instanceof ProbeError && error.code === 'EINVALIDPORT') console.error(error.message);
 * }
 * ```
 */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  /** What went wrong, as a stable string. */
  readonly code: ProbeErrorCode;

  constructor(code: ProbeErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
