import { chmod, mkdtemp, realpath, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));
// esbuild comes with tsx (which runs every fixture): resolving it from there adds no dependency.
const esbuildPath = createRequire(createRequire(import.meta.url).resolve('tsx')).resolve('esbuild');

/** The one esbuild call we make (its types are not a dependency of ours). */
interface EsbuildApi {
  build(options: Readonly<Record<string, unknown>>): Promise<unknown>;
}

/** A fixture bundled into one plain JavaScript file in a directory every user can read. */
export interface StagedFixture extends AsyncDisposable {
  /** The bundled script: run it with `spawnFixture(staged.script, …)` (plain node, no tsx). */
  readonly script: string;
  /** Its directory (mode 0755): a `cwd` every user can enter. */
  readonly dir: string;
}

/**
 * Bundles `script` (a TypeScript fixture, `@ports/*` from source, npm dependencies inlined) into a
 * fresh 0755 directory under the OS temp dir, for a test that runs it as another, unprivileged user.
 * That user cannot reach the checkout when it lies under a 0700 folder (a clone under `mktemp -d`,
 * a home directory), so running the fixture from there would fail for a reason that has nothing to do
 * with the test. Dispose it to remove the directory.
 *
 * @example
 * ```ts
 * await using staged = await stageFixture(fixture('allocate-once.ts'));
 * await using child = spawnFixture(staged.script, [file], { uid: 65534, gid: 65534, cwd: staged.dir });
 * ```
 */
export async function stageFixture(script: string): Promise<StagedFixture> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'ports-stage-')));
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    await chmod(dir, 0o755);
    const outfile = join(dir, `${basename(script).replace(/\.[mc]?[tj]s$/, '')}.mjs`);
    const esbuild = (await import(esbuildPath)) as EsbuildApi;
    const alias = Object.fromEntries(
      ['lock', 'probe', 'registry', 'heartbeat', 'test-utils'].map((name) => [
        `@ports/${name}`,
        join(packagesDir, name, 'src', 'index.ts'),
      ]),
    );
    await esbuild.build({
      entryPoints: [script],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      alias,
      logLevel: 'silent',
      // Bundled CommonJS dependencies may call require(): give the ESM bundle one.
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    await chmod(outfile, 0o644);
    return { script: outfile, dir, [Symbol.asyncDispose]: remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
