import { randomBytes } from 'node:crypto';
import { RegistryError } from './errors.js';

/** Environment variable that fixes an instance's id, so a restarted instance keeps its port. */
export const INSTANCE_ID_ENV = 'MCP_INSTANCE_ID';

const VALID_ID = /^[\x21-\x7e]{1,200}$/;

/** Checks an instance id: 1-200 printable ASCII characters, no spaces. */
export function validateInstanceId(id: unknown, source = 'instanceId'): string {
  if (typeof id !== 'string' || !VALID_ID.test(id)) {
    throw new RegistryError(
      'EINVALIDOPTION',
      `${source} must be 1-200 printable characters without spaces; got ${JSON.stringify(id)}`,
    );
  }
  return id;
}

/**
 * The id an instance uses when none is given: `MCP_INSTANCE_ID` when set, otherwise
 * `<pid>-<random hex>-<time in base 36>`, unique across processes and restarts.
 *
 * @example
 * ```ts source="./index.examples.ts#createInstanceId"
 * createInstanceId(); // '41233-9f2c1ab4-mi3x0k2a'
 * ```
 */
export function createInstanceId(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[INSTANCE_ID_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return validateInstanceId(fromEnv, INSTANCE_ID_ENV);
  return `${process.pid}-${randomBytes(4).toString('hex')}-${Date.now().toString(36)}`;
}

const GENERATED_ID = /^\d+-[0-9a-f]{8}-[0-9a-z]+$/;

/**
 * Whether `id` has the form {@link createInstanceId} generates when no id is given. Such an id is
 * never used again by a restarted instance, so there is no port to keep for it.
 */
export function isGeneratedInstanceId(id: string): boolean {
  return GENERATED_ID.test(id);
}
