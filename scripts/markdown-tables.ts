/** A table row whose cell count differs from its header's. */
export interface RaggedRow {
  /** 1-based line number. */
  readonly line: number;
  readonly cells: number;
  readonly headerCells: number;
}

/**
 * The cells of a GitHub-flavoured markdown table row: split on `|` except where escaped (`\|`, which
 * GFM reads as a literal pipe even inside a code span), one leading and one trailing `|` dropped.
 */
export function rowCells(row: string): string[] {
  let text = row.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && text[i + 1] === '|') {
      cell += '\\|';
      i++;
    } else if (char === '|') {
      cells.push(cell);
      cell = '';
    } else {
      cell += char;
    }
  }
  cells.push(cell);
  return cells;
}

const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/**
 * Rows of every table in `markdown` that do not have the header's number of cells (GFM renders such
 * a row with cells cut off or made up). A table is a header row followed by a delimiter row
 * (`| --- | :-: |`); it ends at the first line without a `|`. Fenced code blocks are skipped.
 */
export function raggedRows(markdown: string): RaggedRow[] {
  const lines = markdown.split('\n');
  const ragged: RaggedRow[] = [];
  let fence: string | undefined;
  let headerCells: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fenceMark = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark !== undefined && (fence === undefined || fenceMark.startsWith(fence))) {
      fence = fence === undefined ? fenceMark : undefined;
      headerCells = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    if (headerCells !== undefined) {
      if (!line.includes('|')) {
        headerCells = undefined;
        continue;
      }
      const cells = rowCells(line).length;
      if (cells !== headerCells) ragged.push({ line: i + 1, cells, headerCells });
      continue;
    }
    const next = lines[i + 1];
    if (line.includes('|') && next !== undefined && DELIMITER_ROW.test(next) && next.includes('-')) {
      headerCells = rowCells(line).length;
      const delimiterCells = rowCells(next).length;
      if (delimiterCells !== headerCells) ragged.push({ line: i + 2, cells: delimiterCells, headerCells });
      i++; // the delimiter row
    }
  }
  return ragged;
}
