/** Whether to colour stdout: only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(
  env: NodeJS.ProcessEnv,
  stream: { readonly isTTY?: boolean } = process.stdout,
): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

/** Colour functions that do nothing when colour is off. */
export interface Paint {
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string): string => text;

/** The palette for `enabled`. */
export function paint(enabled: boolean): Paint {
  return enabled
    ? { green: wrap(32, 39), red: wrap(31, 39), dim: wrap(2, 22), bold: wrap(1, 22) }
    : { green: plain, red: plain, dim: plain, bold: plain };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping our own colour codes to measure width
const ANSI = /\u001b\[\d+m/g;

/** Lays out rows under a header in aligned columns; cells may already be coloured. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], p: Paint): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').replace(ANSI, '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === cells.length - 1
          ? cell
          : cell + ' '.repeat(widths[column]! - cell.replace(ANSI, '').length),
      )
      .join('  ')
      .trimEnd();
  return [p.bold(line(header)), ...rows.map(line)].join('\n');
}

/** Writes `text` and a newline to stdout. */
export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Writes one `cmgr: ` line to stderr; line breaks inside `text` (a quoted parser message) become spaces. */
export function note(text: string): void {
  process.stderr.write(`cmgr: ${text.replace(/\s*\n\s*/g, ' ')}\n`);
}
