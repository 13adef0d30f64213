import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CmgrError, usageError } from './errors.js';
import { shareProblem } from './sandbox/layout.js';
import type { SharedFolder } from './state.js';

/**
 * A folder given on the command line as an absolute, normalised path (relative ones against the current
 * directory), refused when binding it would undo or break the sandbox. The path is kept as given, not
 * resolved through symlinks: it is the path MCP servers are configured with.
 */
export function sharePath(dir: string, cwd: string = process.cwd()): string {
  if (dir === '' || dir.includes('\0')) throw usageError(`invalid folder ${JSON.stringify(dir)} to share`);
  const path = resolve(cwd, dir);
  const problem = shareProblem(path);
  if (problem) throw usageError(`cannot share ${path}: ${problem}`);
  return path;
}

/**
 * Checks that a folder to share exists and is a folder, when it is recorded, and that the folder it
 * leads to through symlinks could be shared too (a link to `/` would undo the sandbox just the same).
 */
export async function checkShareDir(path: string): Promise<void> {
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (found instanceof Error) {
    throw new CmgrError(
      'EFAILED',
      `cannot share ${path} (${found.code ?? found.message}); create it first or fix the path`,
    );
  }
  if (!found.isDirectory()) throw new CmgrError('EFAILED', `cannot share ${path}: it is not a folder`);
  const real = await realpath(path);
  const problem = real === path ? undefined : shareProblem(real);
  if (problem) throw usageError(`cannot share ${path} (it leads to ${real}): ${problem}`);
}

/** `shares` with `share` in it: a folder shared again keeps its place and takes the new `readOnly`. */
export function withShare(shares: readonly SharedFolder[], share: SharedFolder): SharedFolder[] {
  const at = shares.findIndex((s) => s.path === share.path);
  if (at < 0) return [...shares, share];
  return shares.map((s, index) => (index === at ? share : s));
}

/** `shares` without `path`, or `undefined` when it was not shared. */
export function withoutShare(shares: readonly SharedFolder[], path: string): SharedFolder[] | undefined {
  const rest = shares.filter((s) => s.path !== path);
  return rest.length === shares.length ? undefined : rest;
}
