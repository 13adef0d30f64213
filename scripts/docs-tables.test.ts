import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { raggedRows, rowCells } from './markdown-tables.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** docs/*.md, the root README and every package's and app's README. */
function documents(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name));
  const readmes = ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group)).map((name) => join(root, group, name, 'README.md')),
  );
  return [...docs, join(root, 'README.md'), ...readmes].filter((file) => existsSync(file));
}

describe('markdown tables', () => {
  it('splits cells on | but not on \\|, also inside code spans', () => {
    expect(rowCells('| a | `O_CREAT\\|O_EXCL` | c |')).toHaveLength(3);
    expect(rowCells('| a | `O_CREAT|O_EXCL` | c |')).toHaveLength(4);
  });

  it('finds a row whose cell count is not the header’s, and skips code fences', () => {
    const table = ['| a | b |', '| --- | --- |', '| 1 | 2 |', '| `x|y` | 3 |', '', 'text | not a table'];
    expect(raggedRows(table.join('\n'))).toEqual([{ line: 4, cells: 3, headerCells: 2 }]);
    expect(raggedRows(['```', ...table, '```'].join('\n'))).toEqual([]);
    expect(raggedRows(table.join('\n').replace('x|y', 'x\\|y'))).toEqual([]);
  });

  it.each(documents().map((file) => [relative(root, file), file]))(
    '%s: every row has the header’s number of cells',
    (_name, file) => {
      expect(raggedRows(readFileSync(file, 'utf8'))).toEqual([]);
    },
  );
});
