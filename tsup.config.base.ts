import type { Options } from 'tsup';

/**
 * The one bundler config every published package shares: ESM and CJS builds of
 * `src/index.ts` with `.d.ts` / `.d.cts` types, so the `exports` map resolves
 * for `import`, `require` and TypeScript alike.
 */
export const baseConfig = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { paths: {} } },
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
} satisfies Options;
