import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { docExamples, exampleRegions, examplesFiles, sourceFiles, syncExamples } from './tsdoc-examples.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('type-checked TSDoc examples', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsdoc-examples-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const examples = join(dir, 'index.examples.ts');
  writeFileSync(
    examples,
    [
      'export function addExample(): void {',
      '  //#region add',
      '  add(1, 2); // 3',
      '  if (add(1, 1) === 2) {',
      '    done();',
      '  }',
      '  //#endregion add',
      '}',
    ].join('\n'),
  );
  const doc = (code: string[], region = 'add') =>
    [
      '/**',
      ' * Adds.',
      ' *',
      ' * @example',
      ` * \`\`\`ts source="./index.examples.ts#${region}"`,
      ...code,
      ' * ```',
      ' */',
    ].join('\n');
  const inSync = [' * add(1, 2); // 3', ' * if (add(1, 1) === 2) {', ' *   done();', ' * }'];

  it('reads regions dedented, and marked blocks without the comment stars', () => {
    expect(exampleRegions(readFileSync(examples, 'utf8')).get('add')).toBe(
      'add(1, 2); // 3\nif (add(1, 1) === 2) {\n  done();\n}',
    );
    expect(docExamples(doc(inSync))).toMatchObject([
      { line: 5, region: 'add', code: exampleRegions(readFileSync(examples, 'utf8')).get('add') },
    ]);
  });

  it('leaves a block in sync as it is, and rewrites one that drifted', () => {
    const file = join(dir, 'add.ts');
    expect(syncExamples(file, doc(inSync))).toMatchObject({ text: doc(inSync), problems: [] });
    const drifted = doc([' * add(1, 2); // 4']);
    expect(syncExamples(file, drifted).text).toBe(doc(inSync));
  });

  it('names a missing examples file or region', () => {
    expect(syncExamples(join(dir, 'add.ts'), doc(inSync, 'nope')).problems).toEqual([
      'line 5: ./index.examples.ts has no region nope',
    ]);
    expect(syncExamples(join(dir, 'sub', 'add.ts'), doc(inSync)).problems).toEqual([
      'line 5: ./index.examples.ts does not exist',
    ]);
  });

  it('every marked @example in packages/*/src and apps/*/src is its region, to the letter (pnpm sync-examples)', () => {
    const problems: string[] = [];
    const stale: string[] = [];
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf8');
      const result = syncExamples(file, text);
      problems.push(...result.problems.map((problem) => `${relative(root, file)}: ${problem}`));
      if (result.text !== text) stale.push(relative(root, file));
    }
    expect(problems).toEqual([]);
    expect(stale).toEqual([]);
  });

  it('every region of an examples file is shown in some TSDoc', () => {
    const used = new Set(
      sourceFiles(root).flatMap((file) => syncExamples(file, readFileSync(file, 'utf8')).used),
    );
    const files = examplesFiles(root);
    expect(files.map((file) => relative(root, file)).sort()).toEqual(
      ['browser-protocol', 'cmgr-config', 'heartbeat', 'lock', 'probe', 'registry'].map(
        (name) => `packages/${name}/src/index.examples.ts`,
      ),
    );
    const orphans = files.flatMap((file) =>
      [...exampleRegions(readFileSync(file, 'utf8')).keys()]
        .map((region) => `${file}#${region}`)
        .filter((region) => !used.has(region)),
    );
    expect(orphans.map((region) => relative(root, region))).toEqual([]);
  });
});
