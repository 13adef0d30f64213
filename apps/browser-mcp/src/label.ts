import { basename } from 'node:path';

/** What an instance is called when nothing better is known. */
const FALLBACK_LABEL = 'browser-mcp';

/** Longest label we make: the popup and a tab group title show it whole. */
const MAX_LABEL_LENGTH = 60;

/**
 * What people call an instance: `--name` when given; otherwise the MCP client's own name (from
 * `initialize`) and the working folder's name, e.g. `Claude Desktop · ports`, or whichever of
 * the two is known.
 *
 * @example
 * ```ts
 * instanceLabel({ client: 'claude-ai', cwd: '/home/ada/ports' }); // 'claude-ai · ports'
 * ```
 */
export function instanceLabel(parts: {
  readonly name?: string | undefined;
  readonly client?: string | undefined;
  readonly cwd?: string | undefined;
}): string {
  if (parts.name) return parts.name;
  const client = clean(parts.client);
  const folder = clean(parts.cwd === undefined ? undefined : basename(parts.cwd));
  const label = [client, folder].filter(Boolean).join(' · ') || FALLBACK_LABEL;
  return label.length > MAX_LABEL_LENGTH ? `${label.slice(0, MAX_LABEL_LENGTH - 1)}…` : label;
}

function clean(text: string | undefined): string {
  return printableLabel(text ?? '');
}

/**
 * `text` as a one-line label a terminal or the popup may show: control and bidi characters (which
 * could rewrite a terminal or reorder what is read) become spaces, then it is trimmed. A client name
 * is whatever the client sent, and a label read back from a port is whatever its holder answered.
 */
export function printableLabel(text: string): string {
  return text.replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu, ' ').trim();
}
