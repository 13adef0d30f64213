import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type FixtureProcess, type SpawnFixtureOptions, spawnFixture } from '@ports/test-utils';

/** Absolute path of a fixture script. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Several fixtures that are all killed and reaped on dispose, even when the test fails. */
export interface FixtureGroup extends AsyncDisposable {
  readonly all: FixtureProcess[];
}

export function spawnGroup(
  count: number,
  make: (index: number) => [script: string, args: string[], options?: SpawnFixtureOptions] | FixtureProcess,
): FixtureGroup {
  const all: FixtureProcess[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const made = make(i);
      all.push(Array.isArray(made) ? spawnFixture(...made) : made);
    }
  } catch (error) {
    for (const child of all) child.kill();
    throw error;
  }
  return {
    all,
    async [Symbol.asyncDispose]() {
      await Promise.all(all.map((child) => child[Symbol.asyncDispose]()));
    },
  };
}

/** Starts a lock-cli fixture on `lockPath` with `options`. */
export function lockCli(lockPath: string, options: object = {}, env: NodeJS.ProcessEnv = {}): FixtureProcess {
  return spawnFixture(fixture('lock-cli.ts'), [lockPath, JSON.stringify(options)], { env });
}

/** Everything our protocol may leave beside a lock; a clean run leaves none of it. */
export function lockLitter(dir: string, lockName: string): string[] {
  const sidecar = `${lockName}.d`;
  const top = readdirSync(dir).filter(
    (name) => name !== sidecar && (name === lockName || name.startsWith(`${lockName}.`)),
  );
  let inside: string[] = [];
  try {
    inside = readdirSync(`${dir}/${sidecar}`).map((name) => `${sidecar}/${name}`);
  } catch {
    // No sidecar: nothing was left in it.
  }
  return [...top, ...inside];
}

/** Epoch milliseconds from an "acquired <ms>" line. */
export function acquiredAt(line: string): number {
  return Number(line.split(' ')[1]);
}
