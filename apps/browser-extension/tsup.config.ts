import { defineConfig } from 'tsup';

// An MV3 extension, not a Node package: each entry is one self-contained browser ES module (the
// protocol package bundled in), then scripts/package.mjs adds the manifest, pages and icons and
// zips the folder for the Chrome Web Store.
export default defineConfig({
  entry: {
    background: 'src/background.ts',
    popup: 'src/ui/popup.ts',
    options: 'src/ui/options.ts',
    offscreen: 'src/ui/offscreen.ts',
  },
  format: ['esm'],
  platform: 'browser',
  target: 'chrome120',
  outDir: 'dist',
  outExtension: () => ({ js: '.js' }),
  clean: true,
  splitting: false,
  sourcemap: true,
  dts: false,
  noExternal: [/.*/],
  onSuccess: 'node scripts/package.mjs',
});
