import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

// An app: one ESM entry behind the bin shim, no types to publish.
export default defineConfig({ ...baseConfig, entry: ['src/cli.ts'], format: ['esm'], dts: false });
