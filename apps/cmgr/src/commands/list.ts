import type { Context } from '../context.js';
import { instanceSummary } from '../instance.js';
import { paint, print, table } from '../output.js';
import { readState } from '../state.js';

/** `cmgr list [--json]`: running is checked against the live process, never a stored flag. */
export async function list({ flags, paths, color }: Context): Promise<number> {
  const { registry } = await readState(paths);
  const records = Object.values(registry.instances).sort((a, b) => a.base - b.base);
  const rows = await Promise.all(
    records.map(async (record) => ({
      ...(await instanceSummary(record)),
      created: record.created,
      sandbox: record.sandbox,
      shares: record.shares ?? [],
    })),
  );
  if (flags.json) {
    print(JSON.stringify({ instances: rows }, null, 2));
    return 0;
  }
  if (rows.length === 0) {
    print("no instances; create one with 'cmgr create <instance>'");
    return 0;
  }
  const p = paint(color);
  print(
    table(
      ['NAME', 'RANGE', 'PORTS', 'RUNNING', 'PID', 'SANDBOX', 'SHARES', 'CREATED'],
      rows.map((row) => [
        row.name,
        `${row.range.start}-${row.range.end}`,
        row.ports ? 'on' : p.dim('off'),
        row.running ? p.green('yes') : p.dim('no'),
        row.pid === null ? '-' : String(row.pid),
        row.sandboxMode ?? '-',
        String(row.shares.length),
        row.created.slice(0, 19).replace('T', ' '),
      ]),
      p,
    ),
  );
  return 0;
}
