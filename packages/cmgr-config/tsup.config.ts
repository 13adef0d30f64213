import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

// Two entries: the whole package, and `core`, which never loads the schema library (zod).
export default defineConfig({ ...baseConfig, entry: ['src/index.ts', 'src/core.ts'] });
