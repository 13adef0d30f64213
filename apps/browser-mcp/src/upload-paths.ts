import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { BrowserMcpError } from './errors.js';

/**
 * Checks the files a model asks to upload, before the extension hands them to Chrome, and
 * resolves with their real paths. Each must be absolute, exist, be a readable regular file and,
 * when `roots` are given (`--upload-root`), lie inside one of them once every symlink is
 * resolved (a link inside a root to a file outside it is refused). Throws `EUPLOAD` naming the
 * first path that fails.
 *
 * @example
 * ```ts
 * await checkUploadPaths(['/home/me/report.pdf'], ['/home/me']); // ['/home/me/report.pdf']
 * ```
 */
export async function checkUploadPaths(
  paths: readonly string[],
  roots: readonly string[],
): Promise<string[]> {
  const realRoots = await Promise.all(roots.map((root) => realpath(root).catch(() => root)));
  const checked: string[] = [];
  for (const path of paths) {
    if (!isAbsolute(path)) throw uploadError(path, 'is not an absolute path; give the full path of the file');
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      throw uploadError(path, 'does not exist');
    }
    if (!(await stat(real)).isFile()) throw uploadError(path, 'is not a file');
    try {
      await access(real, constants.R_OK);
    } catch {
      throw uploadError(path, 'cannot be read (permission denied)');
    }
    if (realRoots.length > 0 && !realRoots.some((root) => isInside(real, root))) {
      throw uploadError(
        path,
        `is outside the folders this server takes uploads from (--upload-root ${roots.join(', ')})`,
      );
    }
    checked.push(real);
  }
  return checked;
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function uploadError(path: string, problem: string): BrowserMcpError {
  return new BrowserMcpError('EUPLOAD', `Cannot upload ${path}: it ${problem}. Nothing was uploaded.`);
}
