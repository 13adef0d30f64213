import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ownProcessStartTime, processGone, processStartTime } from './process-identity.js';

describe('process identity', () => {
  it('names this process by pid and start time', () => {
    expect(typeof ownProcessStartTime).toBe('number');
    expect(processStartTime(process.pid)).toBe(ownProcessStartTime);
    expect(processGone(process.pid, ownProcessStartTime)).toBe(false);
    expect(processGone(process.pid)).toBe(false);
  });

  it('calls a reaped pid exited and a live pid with another start time reused', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    expect(processGone(dead)).toBe('exited');
    expect(processStartTime(dead)).toBeNull();
    expect(processGone(process.pid, (ownProcessStartTime as number) - 1)).toBe('pid-reused');
  });
});
