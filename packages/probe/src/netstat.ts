import type { HolderRow } from './holder-row.js';
import { runTool } from './run-tool.js';

// `  TCP    127.0.0.1:8765         0.0.0.0:0              LISTENING       12345`
const ROW = /^\s*TCP\s+(\S+):(\d{1,5})\s+(\S+):(\d{1,5})\s+(?:(\S+)\s+)?(\d+)\s*$/i;

/**
 * @internal Parses `netstat -ano -p TCP` (or `-p TCPv6`) output from Windows into one row per listening
 * socket on one of `ports`. A listener is told by its foreign port 0, not by the state's name, which
 * Windows translates (`LISTENING`, `ABHÖREN`, `ÉCOUTE`…). Other lines are skipped, never thrown on.
 */
export function parseNetstat(text: string, ports: ReadonlySet<number>): HolderRow[] {
  const rows: HolderRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = ROW.exec(line);
    if (!match) continue;
    const [, local = '', localPort = '', , remotePort = '', , pid = ''] = match;
    const port = Number(localPort);
    if (remotePort !== '0' || !ports.has(port)) continue;
    const v6 = local.startsWith('[') && local.endsWith(']');
    const address = v6 ? local.slice(1, -1).toLowerCase() : local;
    if (!v6 && !/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) continue;
    const pidNumber = Number(pid);
    rows.push({
      port,
      address,
      family: v6 ? 'IPv6' : 'IPv4',
      // Pid 0 is the "System Idle Process": Windows says it for sockets it has no owner for.
      ...(pidNumber > 0 && { pid: pidNumber }),
    });
  }
  return rows;
}

/** @internal Parses `tasklist /FO CSV /NH` into pid → image name (`node.exe`). */
export function parseTasklist(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^"((?:[^"]|"")*)","(\d+)"/.exec(line);
    if (match) names.set(Number(match[2]), (match[1] ?? '').replaceAll('""', '"'));
  }
  return names;
}

/**
 * @internal Listening sockets on `ports` from `netstat -ano` (IPv4 and IPv6 tables), each named by
 * `tasklist`; `undefined` when netstat cannot run. A missing tasklist only leaves the names out.
 */
export async function netstatHolders(
  ports: ReadonlySet<number>,
  commands: { readonly netstat: string; readonly tasklist: string } = {
    netstat: 'netstat',
    tasklist: 'tasklist',
  },
): Promise<HolderRow[] | undefined> {
  const [v4, v6] = await Promise.all([
    runTool(commands.netstat, ['-ano', '-p', 'TCP']),
    runTool(commands.netstat, ['-ano', '-p', 'TCPv6']),
  ]);
  if (!v4 && !v6) return undefined;
  const rows = [...parseNetstat(v4?.stdout ?? '', ports), ...parseNetstat(v6?.stdout ?? '', ports)];
  if (!rows.some((row) => row.pid !== undefined)) return rows;
  const tasks = await runTool(commands.tasklist, ['/FO', 'CSV', '/NH']);
  const names = parseTasklist(tasks?.stdout ?? '');
  return rows.map((row) => {
    const command = row.pid === undefined ? undefined : names.get(row.pid);
    return command === undefined ? row : { ...row, command };
  });
}
