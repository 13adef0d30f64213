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
  // A client name is whatever the client sent: no control characters in a one-line label.
  return (text ?? '').replace(/\p{Cc}+/gu, ' ').trim();
}
