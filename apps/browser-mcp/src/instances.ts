/** One live browser-mcp instance, as `browser-mcp instances` and `browser_instances` show it. */
export interface InstanceInfo {
  readonly port: number;
  readonly instanceId: string;
  /** What people call the instance (`--name`, or its MCP client and folder), when it said. */
  readonly label?: string;
  readonly pid: number;
  /** When the instance started, in ms since the epoch. */
  readonly startedAt: number;
  /** When the instance last proved it was alive, in ms since the epoch (if known). */
  readonly lastHeartbeat?: number;
}

/** Lists the live instances; the registry's read-only view once it is wired in. */
export type ListInstances = () => Promise<readonly InstanceInfo[]>;

/** Renders `instances` as an aligned table for people, oldest port first. */
export function formatInstancesTable(instances: readonly InstanceInfo[], now = Date.now()): string {
  if (instances.length === 0) return 'no live browser-mcp instances';
  const header = ['PORT', 'INSTANCE', 'PID', 'UPTIME', 'LAST HEARTBEAT'];
  const rows = [...instances]
    .sort((a, b) => a.port - b.port)
    .map((instance) => [
      String(instance.port),
      // People read the label; the id is in --json.
      instance.label ?? instance.instanceId,
      String(instance.pid),
      formatDuration(now - instance.startedAt),
      instance.lastHeartbeat === undefined ? '-' : `${formatDuration(now - instance.lastHeartbeat)} ago`,
    ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Renders `instances` as JSON for scripts: an array of objects with ISO timestamps and uptime in ms. */
export function formatInstancesJson(instances: readonly InstanceInfo[], now = Date.now()): string {
  return JSON.stringify(
    [...instances]
      .sort((a, b) => a.port - b.port)
      .map((instance) => ({
        port: instance.port,
        instanceId: instance.instanceId,
        label: instance.label ?? null,
        pid: instance.pid,
        startedAt: new Date(instance.startedAt).toISOString(),
        uptimeMs: Math.max(0, now - instance.startedAt),
        lastHeartbeat:
          instance.lastHeartbeat === undefined ? null : new Date(instance.lastHeartbeat).toISOString(),
      })),
    null,
    2,
  );
}

/** `1h02m`, `3m05s`, `42s`: short and sortable by eye. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
