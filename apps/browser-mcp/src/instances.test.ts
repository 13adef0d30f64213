import { describe, expect, it } from 'vitest';
import { formatDuration, formatInstancesJson, formatInstancesTable } from './instances.js';

const now = Date.UTC(2025, 0, 1, 12, 0, 0);
const instances = [
  {
    port: 8766,
    instanceId: 'cursor',
    label: 'Cursor · ports',
    pid: 222,
    startedAt: now - 65_000,
    lastHeartbeat: now - 2_000,
  },
  { port: 8765, instanceId: 'claude-desktop', pid: 111, startedAt: now - 3_725_000 },
];

describe('instances output', () => {
  it('prints an aligned table sorted by port', () => {
    expect(formatInstancesTable(instances, now).split('\n')).toEqual([
      'PORT  INSTANCE        PID  UPTIME  LAST HEARTBEAT',
      '8765  claude-desktop  111  1h02m   -',
      '8766  Cursor · ports  222  1m05s   2s ago',
    ]);
    expect(formatInstancesTable([], now)).toBe('no live browser-mcp instances');
  });

  it('prints JSON with ISO timestamps and uptime', () => {
    expect(JSON.parse(formatInstancesJson(instances, now))).toEqual([
      {
        port: 8765,
        instanceId: 'claude-desktop',
        label: null,
        pid: 111,
        startedAt: '2025-01-01T10:57:55.000Z',
        uptimeMs: 3_725_000,
        lastHeartbeat: null,
      },
      {
        port: 8766,
        instanceId: 'cursor',
        label: 'Cursor · ports',
        pid: 222,
        startedAt: '2025-01-01T11:58:55.000Z',
        uptimeMs: 65_000,
        lastHeartbeat: '2025-01-01T11:59:58.000Z',
      },
    ]);
  });

  it('formats durations', () => {
    expect([0, 999, 42_000, 185_000, 7_260_000].map(formatDuration)).toEqual([
      '0s',
      '0s',
      '42s',
      '3m05s',
      '2h01m',
    ]);
  });
});
