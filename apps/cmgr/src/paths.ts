import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { INSTANCE_NAME_PATTERN } from '@ports/cmgr-config/core';
import { usageError } from './errors.js';

/** Where cmgr keeps its state and sandboxes, resolved once from the environment. */
export interface Paths {
  /** The caller's home: `HOME`, else the passwd entry's. */
  readonly userHome: string;
  readonly home: string;
  readonly sandboxes: string;
  readonly registry: string;
  readonly portRegistry: string;
  readonly lock: string;
  readonly config: string;
  /** The user's own Claude Desktop config, copied into new sandboxes. */
  readonly userClaudeConfig: string;
}

function dirFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (value.includes('\0')) throw usageError(`${name} contains a NUL byte; set it to a directory path`);
  return isAbsolute(value) ? value : resolve(value);
}

/** Resolves CMGR_HOME (default ~/.cmgr) and CMGR_SANDBOXES (default ~/sandboxes). */
export function resolvePaths(env: NodeJS.ProcessEnv): Paths {
  const user = env.HOME || homedir();
  const home = dirFromEnv(env, 'CMGR_HOME', join(user, '.cmgr'));
  return {
    userHome: user,
    home,
    sandboxes: dirFromEnv(env, 'CMGR_SANDBOXES', join(user, 'sandboxes')),
    registry: join(home, 'registry.json'),
    portRegistry: join(home, 'port_registry.json'),
    lock: join(home, '.lock'),
    config: join(home, 'config.json'),
    userClaudeConfig: join(user, '.config', 'Claude', 'claude_desktop_config.json'),
  };
}

/** The files of one sandbox. The name is validated before it gets here, so joining it is safe. */
export function sandboxPaths(sandbox: string): {
  readonly root: string;
  readonly claudeDir: string;
  readonly claudeConfig: string;
  readonly cmgrDir: string;
  readonly log: string;
} {
  const claudeDir = join(sandbox, '.config', 'Claude');
  const cmgrDir = join(sandbox, '.cmgr');
  return {
    root: sandbox,
    claudeDir,
    claudeConfig: join(claudeDir, 'claude_desktop_config.json'),
    cmgrDir,
    log: join(cmgrDir, 'claude.log'),
  };
}

/**
 * Checks an instance name against `^[a-z0-9][a-z0-9_-]{0,31}$` (`INSTANCE_NAME_PATTERN` of
 * @ports/cmgr-config), with a message that says what is wrong with this one.
 */
export function checkInstanceName(name: string): string {
  if (!INSTANCE_NAME_PATTERN.test(name)) {
    const shown = JSON.stringify(name);
    const why =
      name.length === 0
        ? 'it is empty'
        : name.length > 32
          ? `it has ${name.length} characters (at most 32)`
          : 'use lowercase letters, digits, "-" and "_", starting with a letter or digit';
    throw usageError(`invalid instance name ${shown}: ${why}`);
  }
  return name;
}
