import { readFileSync } from 'node:fs';
import { parseInvocation } from './args.js';
import type { CommandName } from './commands-list.js';
import type { Command } from './context.js';
import { CmgrError, EXIT } from './errors.js';
import { note, useColor } from './output.js';
import { resolvePaths } from './paths.js';

// Each command in its own chunk: `cmgr list` never loads the schema library `cmgr create` needs.
const COMMANDS: Record<CommandName, () => Promise<Command>> = {
  create: async () => (await import('./commands/create.js')).create,
  list: async () => (await import('./commands/list.js')).list,
  start: async () => (await import('./commands/start.js')).start,
  stop: async () => (await import('./commands/stop.js')).stop,
  remove: async () => (await import('./commands/remove.js')).remove,
  mcp: async () => (await import('./commands/mcp.js')).mcp,
  ports: async () => (await import('./commands/ports.js')).ports,
  share: async () => (await import('./commands/share.js')).share,
  unshare: async () => (await import('./commands/share.js')).unshare,
  'import-config': async () => (await import('./commands/import-config.js')).importConfig,
  move: async () => (await import('./commands/move.js')).move,
  logs: async () => (await import('./commands/logs.js')).logs,
  desktop: async () => (await import('./commands/desktop.js')).desktop,
  login: async () => (await import('./commands/login.js')).login,
  'open-url': async () => (await import('./commands/open-url.js')).openUrl,
  doctor: async () => (await import('./commands/doctor.js')).doctor,
};

/**
 * Runs the `cmgr` command line and resolves with the exit code (see `cmgr --help`). Errors are printed
 * on stderr as one line saying what to do; nothing else is thrown.
 *
 * @example
 * ```js
 * process.exitCode = await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const invocation = parseInvocation(argv);
    if (invocation.kind === 'help') {
      const { COMMAND_HELP, MAIN_HELP } = await import('./help.js');
      process.stdout.write(invocation.command ? COMMAND_HELP[invocation.command] : MAIN_HELP);
      return EXIT.ok;
    }
    if (invocation.kind === 'version') {
      process.stdout.write(`${readVersion()}\n`);
      return EXIT.ok;
    }
    const command = await COMMANDS[invocation.command]();
    return await command({
      instance: invocation.instance,
      args: invocation.args,
      flags: invocation.flags,
      rest: invocation.rest,
      env,
      paths: resolvePaths(env),
      color: useColor(env),
    });
  } catch (error) {
    if (error instanceof CmgrError) {
      note(error.message);
      return error.exitCode;
    }
    const system = systemErrorLine(error);
    if (system !== undefined) {
      note(system);
      return EXIT.failure;
    }
    // Not one of ours: a bug. Still one line, with the code when there is one.
    const { code, message } = error as { code?: string; message?: string };
    note(`unexpected error${code ? ` ${code}` : ''}: ${message ?? String(error)}; please report it`);
    return EXIT.failure;
  }
}

/** What a failed mkdir says about the path: cmgr creates its directories under CMGR_HOME and CMGR_SANDBOXES. */
const MKDIR_HINTS: Readonly<Record<string, string>> = {
  EEXIST: 'a file is where cmgr needs a directory',
  ENOTDIR: 'a file is where cmgr needs a directory',
  ENOENT: 'it cannot be created there',
};
const ACCESS_HINTS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

/**
 * One line for a file system error on a path (a bad CMGR_HOME, a read-only or full disk); `undefined`
 * for anything else, which is then reported as a bug.
 */
function systemErrorLine(error: unknown): string | undefined {
  const { code, syscall, path } = error as { code?: unknown; syscall?: unknown; path?: unknown };
  if (typeof code !== 'string' || typeof syscall !== 'string' || typeof path !== 'string') return undefined;
  const mkdirHint = syscall === 'mkdir' ? MKDIR_HINTS[code] : undefined;
  const hint = mkdirHint ?? ACCESS_HINTS[code];
  if (hint === undefined) return undefined;
  const remedy = mkdirHint
    ? 'check CMGR_HOME and CMGR_SANDBOXES, or fix that path'
    : 'fix that path and retry';
  return `cannot ${syscall} ${path} (${code}: ${hint}); ${remedy}`;
}

function readVersion(): string {
  // The built file lives in dist/, beside package.json's directory.
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
