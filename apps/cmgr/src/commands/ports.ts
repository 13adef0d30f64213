import type { Context } from '../context.js';
import { instanceSummary } from '../instance.js';
import { note, paint, print, table } from '../output.js';
import { checkInstanceName } from '../paths.js';
import { holderText, portStates } from '../port-state.js';
import { getInstance, type InstanceRecord, readState } from '../state.js';

/** `cmgr ports [<instance>] [--json]`: exit 1 when something other than the instance holds one of its ports. */
export async function ports({ instance, flags, paths, color }: Context): Promise<number> {
  const name = instance === undefined ? undefined : checkInstanceName(instance);
  const state = await readState(paths);
  const records: InstanceRecord[] =
    name === undefined
      ? Object.values(state.registry.instances).sort((a, b) => a.base - b.base)
      : [getInstance(state, name)];
  const states = await portStates(
    records.map((record) => ({ record, ports: record.ports ? record.tools.map((t) => t.port) : [] })),
  );
  const report = await Promise.all(
    records.map(async (record) => {
      const summary = await instanceSummary(record);
      const findings = states.get(record)!;
      const tools = (record.ports ? record.tools : []).map((tool) => {
        const { state, holders } = findings.get(tool.port)!;
        return { ...tool, tool: tool.tool ?? null, state, holders };
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
            holderText(t.holders),
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
      `${conflicts} port conflict(s): stop the process holding the port, or move the instance to a free range with 'cmgr stop <instance>' then 'cmgr move <instance>' (its sandbox is kept)`,
    );
    return 1;
  }
  return 0;
}
