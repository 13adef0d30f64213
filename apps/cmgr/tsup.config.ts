import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

// An app: one ESM entry behind the bin shim, no types to publish. Commands are split into chunks so
// `cmgr list` never parses the code of `cmgr start`.
export default defineConfig({
  ...baseConfig,
  entry: ['src/cli.ts'],
  format: ['esm'],
  dts: false,
  splitting: true,
});
