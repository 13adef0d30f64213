import type { HolderRow } from './holder-row.js';
import { runTool } from './run-tool.js';

/**
 * @internal Parses `lsof -F` output (fields `p` pid, `c` command, `u` uid, `t` type, `n` name, one per
 * line; `f` and others ignored) into one row per listening socket on one of `ports`. A name is
 * `addr:port`, `[v6addr]:port` or `*:port`; the wildcard is `::` for an IPv6 socket (type `IPv6`, which
 * on macOS is dual-stack) and `0.0.0.0` otherwise. Malformed lines are skipped, never thrown on.
 */
export function parseLsof(text: string, ports: ReadonlySet<number>): HolderRow[] {
  const rows: HolderRow[] = [];
  let pid: number | undefined;
  let command: string | undefined;
  let uid: number | undefined;
  let type: string | undefined;
  for (const line of text.split('\n')) {
    const field = line[0];
    const value = line.slice(1).replace(/\r$/, '');
    if (field === 'p') {
      const parsed = Number(value);
      pid = Number.isSafeInteger(parsed) && parsed > 0 ? parsed : undefined;
      command = undefined;
      uid = undefined;
      type = undefined;
    } else if (field === 'c') command = value || undefined;
    else if (field === 'u') uid = /^\d+$/.test(value) ? Number(value) : undefined;
    else if (field === 'f') type = undefined;
    else if (field === 't') type = value;
    else if (field === 'n') {
      const row = parseName(value, type);
      if (!row || !ports.has(row.port)) continue;
      rows.push({
        ...row,
        ...(pid !== undefined && { pid }),
        ...(command !== undefined && { command }),
        ...(uid !== undefined && { uid }),
      });
    }
  }
  return rows;
}

function parseName(name: string, type: string | undefined): Omit<HolderRow, 'pid'> | undefined {
  // A connected socket reads `local->remote`: not a listener.
  if (name.includes('->')) return undefined;
  const match = /^(\*|\[([0-9A-Fa-f:.%]+)\]|([0-9.]+)):(\d{1,5})(?:\s.*)?$/.exec(name);
  if (!match) return undefined;
  const port = Number(match[4]);
  if (port < 1 || port > 65535) return undefined;
  if (match[2] !== undefined) return { port, address: match[2].toLowerCase(), family: 'IPv6' };
  if (match[3] !== undefined) return { port, address: match[3], family: 'IPv4' };
  return type === 'IPv6'
    ? { port, address: '::', family: 'IPv6' }
    : { port, address: '0.0.0.0', family: 'IPv4' };
}

/** @internal Listening sockets on `ports`, by one `lsof` run (macOS, BSDs); `undefined` when lsof cannot run. */
export async function lsofHolders(
  ports: ReadonlySet<number>,
  command = 'lsof',
): Promise<HolderRow[] | undefined> {
  const list = [...ports].join(',');
  const output = await runTool(command, ['-nP', `-iTCP:${list}`, '-sTCP:LISTEN', '-F', 'pcnut']);
  // lsof exits 1 when nothing matched, with nothing printed.
  if (!output) return undefined;
  return parseLsof(output.stdout, ports);
}
