#!/usr/bin/env node
// Proves every published package resolves as its `exports` map promises: publint --strict on the
// package, and are-the-types-wrong on the tarball npm would publish (ESM, CJS and their types).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);

const packageDirs = ['packages', 'apps']
  .filter((group) => existsSync(join(root, group)))
  .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
  .filter((dir) => existsSync(join(dir, 'package.json')));

let failures = 0;
let checked = 0;
for (const dir of packageDirs) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  checked += 1;
  const steps = [[bin('publint'), ['--strict']]];
  // A CLI-only package has no types to check; everything with an `exports` map does.
  if (manifest.exports?.['.']) steps.push([bin('attw'), ['--pack', '.', '--format', 'table-flipped']]);
  for (const [command, args] of steps) {
    try {
      execFileSync(command, args, { cwd: dir, stdio: 'inherit' });
    } catch {
      failures += 1;
      console.error(`check-packages: ${manifest.name} failed ${command.split('/').pop()} ${args.join(' ')}`);
    }
  }
}
console.error(`check-packages: ${checked} published package(s) checked, ${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);
