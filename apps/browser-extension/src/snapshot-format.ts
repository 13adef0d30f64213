import type { SnapshotRow } from './in-page/collect-snapshot.js';

/**
 * A snapshot's rows as text, one line per node (`- role "name" [value=…] [states] [ref=…]`),
 * indented by depth; text as `- text: "…"`. Empty pages say so.
 */
export function formatSnapshot(rows: readonly SnapshotRow[]): string {
  if (rows.length === 0) return '- document (empty)';
  const lines: string[] = [];
  for (const [depth, role, name, value, states, ref] of rows) {
    const indent = '  '.repeat(depth);
    if (role === 'text') {
      lines.push(`${indent}- text: ${JSON.stringify(name)}`);
      continue;
    }
    let line = `${indent}- ${role}`;
    if (name !== '') line += ` ${JSON.stringify(name)}`;
    if (value !== '') line += ` [value=${JSON.stringify(value)}]`;
    for (const state of states) line += ` [${state}]`;
    if (ref !== '') line += ` [ref=${ref}]`;
    lines.push(line);
  }
  return lines.join('\n');
}

/** The refs a snapshot's rows hand out. */
export function refsOf(rows: readonly SnapshotRow[]): Set<string> {
  return new Set(rows.map((row) => row[5]).filter((ref) => ref !== ''));
}
