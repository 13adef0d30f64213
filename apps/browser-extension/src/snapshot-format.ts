import type { SnapshotRow } from './in-page/collect-snapshot.js';

interface Node {
  readonly row: SnapshotRow;
  readonly children: Node[];
}

/** Roles that only group one thing: a list item or cell around a single element is left out. */
const WRAPPERS: ReadonlySet<string> = new Set(['listitem', 'cell']);

/**
 * A snapshot's rows as text, one line per node (`- role "name" [value=…] [states] [ref=…]`),
 * indented by depth; text as `- text: …`, a drop-down's options as one `- options: a|b` line.
 * What costs a model tokens and tells it nothing is left out: a list item or cell around one
 * element, and a line for a node whose only content is one text (`- cell: Admin`). Empty pages say so.
 */
export function formatSnapshot(rows: readonly SnapshotRow[]): string {
  if (rows.length === 0) return '- document (empty)';
  const lines: string[] = [];
  for (const node of treeOf(rows)) print(node, 0, lines);
  return lines.join('\n');
}

/** Rows (depth-first, each with its depth) as a forest. */
function treeOf(rows: readonly SnapshotRow[]): Node[] {
  const roots: Node[] = [];
  const open: { depth: number; node: Node }[] = [];
  for (const row of rows) {
    const node: Node = { row, children: [] };
    while (open.length > 0 && (open[open.length - 1] as { depth: number }).depth >= row[0]) open.pop();
    const parent = open[open.length - 1];
    (parent ? parent.node.children : roots).push(node);
    open.push({ depth: row[0], node });
  }
  return roots;
}

function print(node: Node, indentLevel: number, lines: string[]): void {
  const [, role, name, value, states, ref] = node.row;
  const indent = '  '.repeat(indentLevel);
  if (role === 'text') {
    lines.push(`${indent}- text: ${name}`);
    return;
  }
  if (role === 'options') {
    lines.push(`${indent}- options: ${name}`);
    return;
  }
  const only = node.children.length === 1 ? node.children[0] : undefined;
  // Its ref (a list item's, for a drag) is not worth a line when the one element inside says it all.
  const bare = name === '' && value === '' && states.length === 0;
  if (only && bare && WRAPPERS.has(role) && only.row[1] !== 'text') {
    print(only, indentLevel, lines);
    return;
  }
  let line = `${indent}- ${role}`;
  if (name !== '') line += ` ${JSON.stringify(name)}`;
  if (value !== '') line += ` [value=${JSON.stringify(value)}]`;
  let more = false;
  for (const state of states) {
    if (state === '…') more = true;
    else line += ` [${state}]`;
  }
  if (ref !== '') line += ` [ref=${ref}]`;
  if (more) line += ' …';
  if (only && only.row[1] === 'text' && only.children.length === 0) {
    lines.push(`${line}: ${only.row[2]}`);
    return;
  }
  lines.push(line);
  for (const child of node.children) print(child, indentLevel + 1, lines);
}

/** The refs a snapshot's rows hand out. */
export function refsOf(rows: readonly SnapshotRow[]): Set<string> {
  return new Set(rows.map((row) => row[5]).filter((ref) => ref !== ''));
}
