import { instanceMembers, processTable } from './proc.js';
import type { InstanceRecord } from './state.js';

/** Who holds a tool port: nobody, the instance's own processes, or someone else. */
export type PortState = 'free' | 'instance' | 'conflict';

/** A process holding a port. */
export interface Holder {
  readonly pid: number | null;
  readonly command: string | null;
  readonly address: string;
}

/** What {@link portStates} found for one port. */
export interface PortFinding {
  readonly state: PortState;
  readonly holders: readonly Holder[];
}

/**
 * The state of each port of each instance: one read of the socket tables and one /proc scan answer for
 * all. A holder inside a sandbox is a descendant of the recorded bwrap, so it counts as the instance's.
 */
export async function portStates(
  wanted: readonly { readonly record: InstanceRecord; readonly ports: readonly number[] }[],
): Promise<Map<InstanceRecord, Map<number, PortFinding>>> {
  const { portHoldersOf } = await import('@ports/probe');
  const holdersByPort = await portHoldersOf(wanted.flatMap((w) => w.ports));
  const procs = await processTable();
  const out = new Map<InstanceRecord, Map<number, PortFinding>>();
  for (const { record, ports } of wanted) {
    // Empty when the instance is not running (or its pid names another process now).
    const own = instanceMembers(record.process, procs);
    const findings = new Map<number, PortFinding>();
    for (const port of ports) {
      const found = holdersByPort.get(port) ?? [];
      const holders = found.map((h) => ({
        pid: h.pid ?? null,
        command: h.command ?? null,
        address: h.address,
      }));
      const mine = found.map((h) => h.pid !== undefined && own.has(h.pid));
      const state: PortState = found.length === 0 ? 'free' : mine.every(Boolean) ? 'instance' : 'conflict';
      findings.set(port, { state, holders });
    }
    out.set(record, findings);
  }
  return out;
}

/** `pid 3310 (python3 -m http.server)`, for tables and messages. */
export function holderText(
  holders: readonly { readonly pid?: number | null; readonly command?: string | null }[],
): string {
  return holders.map((h) => `pid ${h.pid ?? '?'}${h.command ? ` (${h.command})` : ''}`).join(', ');
}
