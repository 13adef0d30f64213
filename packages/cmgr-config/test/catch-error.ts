import { CmgrConfigError } from '../src/errors.js';

/** Runs `fn`, which must throw a {@link CmgrConfigError}, and returns that error for assertions. */
export function catchError(fn: () => unknown): CmgrConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CmgrConfigError) return error;
    throw error;
  }
  throw new Error('expected a CmgrConfigError, but nothing was thrown');
}
