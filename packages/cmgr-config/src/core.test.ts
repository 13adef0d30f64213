import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from './core.js';
import * as main from './index.js';

/** Every module `file` reaches through its static imports, and the packages it imports. */
function reach(file: string, seen = new Set<string>(), packages = new Set<string>()) {
  if (seen.has(file)) return { seen, packages };
  seen.add(file);
  const text = readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8');
  for (const [, spec] of text.matchAll(/^(?:import|export)\s(?!type\s)[^'"]*from\s+'([^']+)'/gm)) {
    if (spec!.startsWith('./')) reach(spec!.replace(/\.js$/, '.ts'), seen, packages);
    else packages.add(spec!);
  }
  return { seen, packages };
}

describe('@ports/cmgr-config/core', () => {
  it('loads no schema library: nothing it imports reaches zod', () => {
    const { seen, packages } = reach('./core.ts');
    expect([...packages]).toEqual([]);
    expect([...seen]).not.toContain('./schema.ts');
    // The check itself can fail: the main entry does reach zod.
    expect([...reach('./index.ts').packages]).toContain('zod');
  });

  it('is re-exported whole by the main entry', () => {
    const fromMain = new Map(Object.entries(main));
    for (const [name, value] of Object.entries(core)) expect(fromMain.get(name), name).toBe(value);
  });
});
