#!/usr/bin/env node
// After tsup: adds the manifest (with the package's version), the pages and the icons to dist/,
// so Chrome's "Load unpacked" takes the folder, and zips it for the Chrome Web Store.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.mjs';
import { zip } from './zip.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const manifest = JSON.parse(readFileSync(join(root, 'static', 'manifest.json'), 'utf8'));
manifest.version = version;
writeFileSync(join(dist, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const name of readdirSync(join(root, 'static'))) {
  if (name !== 'manifest.json') writeFileSync(join(dist, name), readFileSync(join(root, 'static', name)));
}

// The icon: a rounded dark square with two port "plugs", one per instance.
mkdirSync(join(dist, 'icons'), { recursive: true });
for (const size of [16, 32, 48, 128]) {
  const png = encodePng(size, (x, y) => {
    const u = (x + 0.5) / size;
    const v = (y + 0.5) / size;
    const r = 0.2;
    const dx = Math.max(0, Math.abs(u - 0.5) - (0.5 - r));
    const dy = Math.max(0, Math.abs(v - 0.5) - (0.5 - r));
    if (dx * dx + dy * dy > r * r) return [0, 0, 0, 0];
    const plug = (cx) => Math.abs(u - cx) < 0.11 && v > 0.3 && v < 0.7;
    if (plug(0.33)) return [77, 171, 247, 255];
    if (plug(0.67)) return [105, 219, 124, 255];
    return [31, 35, 40, 255];
  });
  writeFileSync(join(dist, 'icons', `icon-${size}.png`), png);
}

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (!name.endsWith('.map') && !name.endsWith('.zip')) files.push(path);
  }
};
walk(dist);
const archive = zip(files.map((path) => ({ name: relative(dist, path), data: readFileSync(path) })));
writeFileSync(join(dist, `browser-mcp-extension-${version}.zip`), archive);
console.error(
  `browser-extension: dist/ ready for "Load unpacked"; dist/browser-mcp-extension-${version}.zip for the Web Store`,
);
