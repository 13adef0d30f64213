import { CmgrConfigError, show } from './errors.js';

/** The instance names cmgr accepts: safe as a path segment, a JSON string and a shell word, unquoted. */
export const INSTANCE_NAME_PATTERN: RegExp = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/**
 * Checks an instance name against {@link INSTANCE_NAME_PATTERN} and returns it. Run it before the name
 * reaches a path, a JSON file or an environment variable.
 *
 * @throws {@link CmgrConfigError} `EINVALIDNAME` naming the bad value.
 * @example
 * ```ts source="./index.examples.ts#validateInstanceName"
 * validateInstanceName('work'); // 'work'
 * validateInstanceName('../x'); // throws EINVALIDNAME
 * ```
 */
export function validateInstanceName(name: unknown): string {
  if (typeof name === 'string' && INSTANCE_NAME_PATTERN.test(name)) return name;
  throw new CmgrConfigError(
    'EINVALIDNAME',
    `invalid instance name ${show(name)}: use 1 to 32 characters from a-z, 0-9, "-" and "_", ` +
      'starting with a letter or a digit',
  );
}
