import type { Context } from '../context.js';
import { instanceSummary } from '../instance.js';
import { note, paint, print, table } from '../output.js';
import { checkInstanceName } from '../paths.js';
import { instanceMembers, processTable } from '../proc.js';
import { getInstance, type InstanceRecord, readState } from '../state.js';

/** Who holds a tool port. */
export type PortState = 'free' | 'instance' | 'conflict';

interface Holder {
  readonly pid: number | null;
  readonly command: string | null;
  readonly address: string;
}

/** `cmgr ports [<instance>] [--json]`: exit 1 when something other than the instance holds one of its ports. */
export async function ports({ instance, flags, paths, color }: Context): Promise<number> {
  const name = instance === undefined ? undefined : checkInstanceName(instance);
  const state = await readState(paths);
  const records: InstanceRecord[] =
    name === undefined
      ? Object.values(state.registry.instances).sort((a, b) => a.base - b.base)
      : [getInstance(state, name)];
  const { portHoldersOf } = await import('@ports/probe');
  // One read of the socket tables and one /proc scan answer for every tool port of every instance.
  const holdersByPort = await portHoldersOf(
    records.flatMap((r) => (r.ports ? r.tools.map((t) => t.port) : [])),
  );

  // One snapshot of /proc tells every instance's processes apart, sandboxed or not: a holder inside a
  // sandbox is a descendant of the recorded bwrap, in a session of its own.
  const procs = await processTable();
  const report = await Promise.all(
    records.map(async (record) => {
      const summary = await instanceSummary(record);
      const own = summary.running ? instanceMembers(record.process, procs) : new Set<number>();
      const tools = (record.ports ? record.tools : []).map((tool) => {
        const found = holdersByPort.get(tool.port) ?? [];
        const holders = found.map((h) => {
          const mine = h.pid !== undefined && own.has(h.pid);
          const holder: Holder = { pid: h.pid ?? null, command: h.command ?? null, address: h.address };
          return { holder, mine };
        });
        const state: PortState =
          holders.length === 0 ? 'free' : holders.every((h) => h.mine) ? 'instance' : 'conflict';
        return { ...tool, tool: tool.tool ?? null, state, holders: holders.map((h) => h.holder) };
      });
      return { ...summary, tools };
    }),
  );
  const conflicts = report.reduce((n, r) => n + r.tools.filter((t) => t.state === 'conflict').length, 0);

  if (flags.json) {
    print(JSON.stringify({ instances: report, conflicts }, null, 2));
  } else {
    const p = paint(color);
    const rows = report.flatMap((r) =>
      r.tools.length === 0
        ? [[r.name, '-', '-', '-', p.dim(r.ports ? 'no servers' : 'ports off'), '']]
        : r.tools.map((t) => [
            r.name,
            t.server,
            String(t.port),
            t.env,
            t.state === 'free' ? 'free' : t.state === 'instance' ? p.green('instance') : p.red('CONFLICT'),
            t.holders.map((h) => `pid ${h.pid ?? '?'}${h.command ? ` (${h.command})` : ''}`).join(', '),
          ]),
    );
    print(
      rows.length === 0
        ? 'no instances'
        : table(['INSTANCE', 'SERVER', 'PORT', 'ENV', 'STATE', 'HOLDER'], rows, p),
    );
  }
  if (conflicts > 0) {
    note(
      `${conflicts} port conflict(s): stop the process holding the port, or move the instance with 'cmgr remove' and 'cmgr create'`,
    );
    return 1;
  }
  return 0;
}
