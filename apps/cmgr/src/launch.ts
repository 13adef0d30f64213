import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, open } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { CmgrError } from './errors.js';
import type { Paths } from './paths.js';
import type { Settings } from './settings.js';

/**
 * Splits a command string into words the way a POSIX shell would for quotes and backslashes, with no
 * expansion of any kind (`$`, `*`, `~` are literal). The instance name and sandbox never appear in the
 * command; they travel in the environment.
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i += 1) {
    const char = command[i]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word = (word ?? '') + char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && /["\\$`]/.test(command[i + 1] ?? '')) word = (word ?? '') + command[++i];
      else word = (word ?? '') + char;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (char === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command[++i];
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote)
    throw new CmgrError('ENOCOMMAND', `the Claude Desktop command has an unclosed ${quote}: ${command}`);
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The Claude Desktop command as words: CMGR_CLAUDE_COMMAND, else `claudeCommand` in $CMGR_HOME/config.json.
 * Its binary must exist on the host; whether it is visible inside a sandbox is checked at launch.
 */
export async function claudeCommand(
  paths: Paths,
  env: NodeJS.ProcessEnv,
  settings: Settings,
): Promise<string[]> {
  const fromEnv = env.CMGR_CLAUDE_COMMAND;
  let words: string[] | undefined;
  let source = 'CMGR_CLAUDE_COMMAND';
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    words = splitCommand(fromEnv);
  } else {
    source = paths.config;
    const command = settings.claudeCommand;
    if (typeof command === 'string') words = splitCommand(command);
    else if (command !== undefined) words = [...command];
  }
  if (!words || words.length === 0 || words[0] === '') {
    throw new CmgrError(
      'ENOCOMMAND',
      `no Claude Desktop command configured; set CMGR_CLAUDE_COMMAND or "claudeCommand" in ${paths.config}`,
    );
  }
  await findExecutable(words[0]!, env.PATH ?? '', source);
  return words;
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

/** Checks the binary exists before anything is recorded, so a typo is one clear line, not a dead pid. */
async function findExecutable(file: string, pathEnv: string, source: string): Promise<void> {
  const candidates = file.includes('/')
    ? [isAbsolute(file) ? file : join(process.cwd(), file)]
    : pathEnv
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, file));
  for (const candidate of candidates) if (await isExecutable(candidate)) return;
  throw new CmgrError(
    'ENOCOMMAND',
    `Claude Desktop command '${file}' (from ${source}) was not found or is not executable; fix the path`,
  );
}

/**
 * Starts `words` detached, as the leader of a new process group, with stdout and stderr appended to
 * `log` (opened without following a symlink). Resolves once the kernel has started it.
 */
export async function launchDetached(
  words: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  log: string,
): Promise<ChildProcess> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW;
  const handle = await open(log, flags, 0o600);
  try {
    const child = spawn(words[0]!, words.slice(1), {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', handle.fd, handle.fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) =>
        reject(
          new CmgrError('ENOCOMMAND', `could not start '${words[0]}': ${error.message}`, { cause: error }),
        ),
      );
    });
    child.unref();
    return child;
  } finally {
    await handle.close();
  }
}
