import { CmgrConfigError } from './errors.js';

/**
 * Splits a command string into words the way a POSIX shell would for quotes and backslashes, with no
 * expansion of any kind (`$`, `*`, `~` are literal).
 *
 * @throws {@link CmgrConfigError} `EINVALIDCOMMAND` for an unclosed quote.
 * @example
 * ```ts
 * splitCommand(`'/opt/Claude Desktop/claude' --flag`); // ['/opt/Claude Desktop/claude', '--flag']
 * ```
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i += 1) {
    const char = command[i]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word = (word ?? '') + char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && /["\\$`]/.test(command[i + 1] ?? '')) word = (word ?? '') + command[++i];
      else word = (word ?? '') + char;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (char === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command[++i];
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote)
    throw new CmgrConfigError(
      'EINVALIDCOMMAND',
      `the Claude Desktop command has an unclosed ${quote}: ${command}`,
    );
  if (word !== undefined) words.push(word);
  return words;
}
