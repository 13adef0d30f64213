import { userInfo } from 'node:os';
import type { PassedVariable } from '@ports/cmgr-config/core';
import { CmgrError, usageError } from './errors.js';
import type { Paths } from './paths.js';
import type { Settings } from './settings.js';

type Core = typeof import('@ports/cmgr-config/core');

/**
 * What the user asked to pass into instance `name`, in order (a later entry wins): `passEnv` of
 * config.json, that instance's `passEnv` there, then `--pass-env`. A bad flag is a usage error (exit 2),
 * a bad setting an invalid file (exit 3).
 */
export function passedVariables(
  core: Core,
  name: string,
  settings: Settings,
  flag: unknown,
  paths: Paths,
): PassedVariable[] {
  const fromConfig = (entries: readonly string[] | undefined, where: string): PassedVariable[] => {
    try {
      return core.parsePassEnv(entries ?? [], `${paths.config}: ${where}`);
    } catch (error) {
      throw new CmgrError('ECONFIG', `${(error as Error).message}; fix it`, { cause: error });
    }
  };
  const flags = Array.isArray(flag) ? flag : [];
  let fromFlag: PassedVariable[];
  try {
    fromFlag = core.parsePassEnv(flags, '--pass-env');
  } catch (error) {
    throw usageError(`${(error as Error).message}; see 'cmgr start --help'`);
  }
  const all = [
    ...fromConfig(settings.passEnv, 'passEnv'),
    ...fromConfig(settings.instances?.[name]?.passEnv, `instances.${name}.passEnv`),
    ...fromFlag,
  ];
  // Checked again with the tool ports once they are known; these are refused before anything else.
  const own = all.find((passed) => CMGR_OWN.includes(passed.name));
  if (own)
    throw usageError(
      `cannot pass ${own.name}: cmgr sets it for the instance itself; drop it from --pass-env or passEnv`,
    );
  return all;
}

/** Variables cmgr always sets for an instance (besides each tool's port). */
const CMGR_OWN: readonly string[] = [
  'HOME',
  'USER',
  'LOGNAME',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_CACHE_HOME',
  'XDG_STATE_HOME',
  'CLAUDE_INSTANCE',
  'MCP_BASE_PORT',
  'MCP_PORT_RANGE',
];

/** Who the instance is: its home and user inside its sandbox (or on the host, unsandboxed). */
export interface InstanceIdentity {
  readonly home: string;
  readonly user: string;
}

/** The host user's name, for an unsandboxed instance. */
export function hostUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? 'claude';
  }
}

/**
 * The whole environment of an instance (see `instanceEnvironment` of @ports/cmgr-config): the desktop
 * allowlist of the host, what the user passed, and cmgr's own variables (HOME, USER, LOGNAME, the XDG
 * folders inside the home, and `ports`: CLAUDE_INSTANCE, MCP_* and each tool's port).
 */
export function environmentOf(
  core: Core,
  host: NodeJS.ProcessEnv,
  pass: readonly PassedVariable[],
  who: InstanceIdentity,
  ports: Readonly<Record<string, string>>,
): Record<string, string> {
  const own = {
    HOME: who.home,
    USER: who.user,
    LOGNAME: who.user,
    ...core.xdgFolders(who.home),
    ...ports,
  };
  try {
    return core.instanceEnvironment({ host, pass, own });
  } catch (error) {
    throw usageError((error as Error).message);
  }
}
