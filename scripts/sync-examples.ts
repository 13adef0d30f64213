// Copies each examples region into the TSDoc `@example` blocks that name it (see tsdoc-examples.ts).
// Usage: pnpm sync-examples [--check]. With --check it writes nothing and exits 1 where they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFiles, syncExamples } from './tsdoc-examples.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
let stale = 0;
let problems = 0;
for (const file of sourceFiles(root)) {
  const text = readFileSync(file, 'utf8');
  const result = syncExamples(file, text);
  for (const problem of result.problems) console.error(`${relative(root, file)}: ${problem}`);
  problems += result.problems.length;
  if (result.text === text) continue;
  stale += 1;
  if (check) console.error(`${relative(root, file)}: an example differs from its region`);
  else writeFileSync(file, result.text);
}
console.error(`sync-examples: ${stale} file(s) ${check ? 'out of date' : 'updated'}, ${problems} problem(s)`);
process.exit(problems > 0 || (check && stale > 0) ? 1 : 0);
