import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

// An app: ESM behind the bin shim, no types to publish. Split at its dynamic imports, with our own
// packages bundled in (tree-shaken), so what answers `initialize` loads almost nothing: the SDK,
// ws, zod and the registry come in chunks loaded after it.
export default defineConfig({
  ...baseConfig,
  entry: ['src/cli.ts'],
  format: ['esm'],
  dts: false,
  splitting: true,
  noExternal: [/^@ports\//],
});
