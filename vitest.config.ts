import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Tests import `@ports/*` from source, so nothing needs building first (apps' end-to-end tests use their build). */
const sourceAliases = Object.fromEntries(
  readdirSync(`${root}packages`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => [`@ports/${entry.name}`, `${root}packages/${entry.name}/src/index.ts`]),
);

/** Subpath entries, listed before the packages so `@ports/x/sub` is not read as `@ports/x` + `/sub`. */
const subpathAliases = { '@ports/cmgr-config/core': `${root}packages/cmgr-config/src/core.ts` };

export default defineConfig({
  resolve: { alias: { ...subpathAliases, ...sourceAliases } },
  test: {
    include: ['{packages,apps}/*/{src,test}/**/*.test.ts', 'scripts/**/*.test.ts'],
    reporters: ['default', './scripts/summary-reporter.ts'],
    setupFiles: ['./scripts/vitest-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Multi-process tests measure the OS, not the CPU: keep workers few on 2 cores.
    maxWorkers: 2,
  },
});
