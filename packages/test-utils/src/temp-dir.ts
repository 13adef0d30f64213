import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory that deletes itself, with everything in it, on dispose. */
export interface TempDir extends AsyncDisposable {
  /** Absolute, symlink-free path of the directory. */
  readonly path: string;
  /** Joins `segments` onto {@link TempDir.path}. */
  join(...segments: string[]): string;
  /** Removes the directory now; later calls (and dispose) do nothing. */
  remove(): Promise<void>;
}

/**
 * Creates a fresh directory under the OS temp dir. Use it with `await using` so it is
 * removed even when the test fails:
 *
 * @example
 * ```ts
 * await using dir = await createTempDir('lock-');
 * await writeFile(dir.join('a.json'), '{}');
 * ```
 */
export async function createTempDir(prefix = 'ports-test-'): Promise<TempDir> {
  const path = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  let removed = false;
  const remove = async (): Promise<void> => {
    if (removed) return;
    removed = true;
    await rm(path, { recursive: true, force: true, maxRetries: 3 });
  };
  return {
    path,
    join: (...segments) => join(path, ...segments),
    remove,
    [Symbol.asyncDispose]: remove,
  };
}
