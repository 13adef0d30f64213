import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { access, open } from 'node:fs/promises';
import type { FoundClaude } from '@ports/cmgr-config/core';
import { CmgrError } from './errors.js';
import type { Paths } from './paths.js';
import type { Settings } from './settings.js';

/**
 * Finds Claude Desktop (`CMGR_CLAUDE_COMMAND`, `claudeCommand` in config.json, `claude-desktop` on PATH,
 * the known install places; see `findClaudeDesktop` of @ports/cmgr-config) and returns its words. Its
 * binary must exist on the host; whether it is visible inside a sandbox is checked at launch.
 */
export async function claudeCommand(
  paths: Paths,
  env: NodeJS.ProcessEnv,
  settings: Settings,
): Promise<FoundClaude> {
  const { findClaudeDesktop, CmgrConfigError } = await import('@ports/cmgr-config/core');
  try {
    return findClaudeDesktop({
      env,
      configured: settings.claudeCommand,
      configFile: paths.config,
      home: paths.userHome,
      cwd: process.cwd(),
      isExecutable: isExecutableSync,
      listDir: (dir) => {
        try {
          return readdirSync(dir);
        } catch {
          return [];
        }
      },
    });
  } catch (error) {
    if (error instanceof CmgrConfigError) throw new CmgrError('ENOCOMMAND', error.message, { cause: error });
    throw error;
  }
}

/** Whether `path` is a regular file this process may execute. */
function isExecutableSync(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Whether `path` is a file this process may execute. */
export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `argv` detached, as the leader of a new process group, with stdout and stderr appended to
 * `log` (opened without following a symlink). Resolves once the kernel has started it.
 */
export async function launchDetached(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  log: string,
): Promise<ChildProcess> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW;
  const handle = await open(log, flags, 0o600);
  try {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', handle.fd, handle.fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) =>
        reject(
          new CmgrError('ENOCOMMAND', `could not start '${argv[0]}': ${error.message}`, { cause: error }),
        ),
      );
    });
    child.unref();
    return child;
  } finally {
    await handle.close();
  }
}
