import { spawnSync } from 'node:child_process';
import { needsProc, procMounted } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import {
  ownProcessStartTime,
  processExists,
  processGone,
  processStartTime,
  processStartTimeSource,
} from './process-identity.js';

describe('process identity', () => {
  it('reads start times from /proc where /proc/self/stat exists, and from nothing on Linux where it is hidden', () => {
    if (process.platform === 'linux') expect(processStartTimeSource).toBe(procMounted ? 'proc' : 'none');
    if (processStartTimeSource === 'none') {
      expect(ownProcessStartTime).toBeNull();
      expect(processStartTime(process.pid)).toBeNull();
    }
  });

  it('names this process by pid and start time', (context) => {
    if (!procMounted) context.skip(needsProc('start times'));
    expect(typeof ownProcessStartTime).toBe('number');
    expect(processStartTime(process.pid)).toBe(ownProcessStartTime);
    expect(processGone(process.pid, ownProcessStartTime)).toBe(false);
    expect(processGone(process.pid)).toBe(false);
  });

  it('calls a reaped pid exited, on every platform: kill(pid, 0) decides liveness', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    expect(processGone(dead)).toBe('exited');
    expect(processGone(dead, 12345)).toBe('exited');
    expect(processExists(dead)).toBe(false);
    expect(processStartTime(dead)).toBeNull();
    expect(processExists(process.pid)).toBe(true);
    // pid 1 is another user's to kill(2) only for non-root, and alive either way.
    expect(processExists(1)).toBe(true);
    expect(processGone(1)).toBe(false);
  });

  it('calls a live pid with another start time reused', (context) => {
    if (!procMounted) context.skip(needsProc('start times tell a reused pid'));
    expect(processGone(process.pid, (ownProcessStartTime as number) - 1)).toBe('pid-reused');
  });

  it('without start times, takes a live pid at its word whatever start time was recorded', (context) => {
    if (processStartTimeSource !== 'none') context.skip('this machine reads start times');
    expect(processGone(process.pid, 12345)).toBe(false);
    expect(processGone(process.pid)).toBe(false);
  });
});
