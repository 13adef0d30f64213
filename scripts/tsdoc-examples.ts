import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * TSDoc examples that are type-checked. The code lives in a `src/*.examples.ts` file, inside a function
 * the type check covers (and nothing calls), between `//#region <name>` and `//#endregion <name>`. A
 * TSDoc `@example` opens its block with the region it copies:
 *
 *     * ```ts source="./index.examples.ts#acquire"
 *
 * and `pnpm sync-examples` copies the region's code into every such block, so the two cannot drift
 * (`scripts/tsdoc-examples.test.ts` fails when they do).
 */

/** An `@example` block that names the region it copies. */
export interface DocExample {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The examples file, as written: relative to the file holding the TSDoc. */
  readonly source: string;
  readonly region: string;
  /** The code between the fences, without the comment's ` * `. */
  readonly code: string;
  /** What each line of the block starts with, e.g. ` * `. */
  readonly prefix: string;
  /** 0-based index of the first code line and of the closing fence. */
  readonly start: number;
  readonly end: number;
}

const OPENING = /^(\s*\*) ```ts source="([^"#]+)#([^"]+)"\s*$/;
const CLOSING = /^\s*\* ```\s*$/;

/** The `@example` blocks of a source file that name a region. */
export function docExamples(text: string): DocExample[] {
  const lines = text.split('\n');
  const found: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = OPENING.exec(lines[i] as string);
    if (!match) continue;
    const [, star = ' *', source = '', region = ''] = match;
    let end = i + 1;
    while (end < lines.length && !CLOSING.test(lines[end] as string)) end++;
    if (end === lines.length) throw new Error(`line ${i + 1}: the example block is never closed`);
    const code = lines
      .slice(i + 1, end)
      .map((line) => line.replace(/^\s*\*( |$)/, ''))
      .join('\n');
    found.push({ line: i + 1, source, region, code, prefix: `${star} `, start: i + 1, end });
    i = end;
  }
  return found;
}

/** The regions of an examples file by name, each dedented, without blank lines at either end. */
export function exampleRegions(text: string): Map<string, string> {
  const regions = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const name = /^\s*\/\/#region (\S+)\s*$/.exec(lines[i] as string)?.[1];
    if (name === undefined) continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === `//#endregion ${name}`);
    if (end === -1) throw new Error(`region ${name} (line ${i + 1}) has no //#endregion ${name}`);
    if (regions.has(name)) throw new Error(`region ${name} is defined twice`);
    regions.set(name, dedent(lines.slice(i + 1, end)));
    i = end;
  }
  return regions;
}

function dedent(lines: string[]): string {
  while (lines.length > 0 && (lines[0] as string).trim() === '') lines.shift();
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const cut = Math.min(...indents);
  return lines.map((line) => line.slice(cut).trimEnd()).join('\n');
}

/** What {@link syncExamples} made of a file. */
export interface SyncResult {
  /** The file with every marked block holding its region's code. */
  readonly text: string;
  /** Blocks whose examples file or region does not exist, as `line N: ...`. */
  readonly problems: string[];
  /** Regions used, as `<absolute examples file>#<region>`. */
  readonly used: string[];
}

/** Copies each marked block's region into it. `file` is the absolute path of the file holding `text`. */
export function syncExamples(file: string, text: string): SyncResult {
  const lines = text.split('\n');
  const problems: string[] = [];
  const used: string[] = [];
  // Replaced from the end, so earlier blocks' line indexes stay right.
  for (const example of docExamples(text).reverse()) {
    const source = resolve(dirname(file), example.source);
    if (!existsSync(source)) {
      problems.push(`line ${example.line}: ${example.source} does not exist`);
      continue;
    }
    const code = exampleRegions(readFileSync(source, 'utf8')).get(example.region);
    if (code === undefined) {
      problems.push(`line ${example.line}: ${example.source} has no region ${example.region}`);
      continue;
    }
    used.push(`${source}#${example.region}`);
    const block = code
      .split('\n')
      .map((line) => (line === '' ? example.prefix.trimEnd() : example.prefix + line));
    lines.splice(example.start, example.end - example.start, ...block);
  }
  return { text: lines.join('\n'), problems: problems.reverse(), used };
}

/** Every TypeScript source of the packages and apps that may hold TSDoc (not tests or examples). */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !/\.(test|examples|d)\.ts$/.test(entry.name)) files.push(path);
    }
  };
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      const src = join(root, group, name, 'src');
      if (existsSync(src)) walk(src);
    }
  }
  return files;
}

/** Every `src/*.examples.ts` file of the packages and apps. */
export function examplesFiles(root: string): string[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group)).flatMap((name) => {
      const src = join(root, group, name, 'src');
      if (!existsSync(src)) return [];
      return readdirSync(src)
        .filter((file) => file.endsWith('.examples.ts'))
        .map((file) => join(src, file));
    }),
  );
}
