import { describe, expect, it } from 'vitest';
import { instanceMembers, type ProcStat, parseProcStat } from './proc.js';

const proc = (pid: number, ppid: number, pgrp: number, state = 'S', startTime = '100'): ProcStat => ({
  pid,
  ppid,
  pgrp,
  state,
  startTime,
});

describe('instanceMembers', () => {
  const recorded = { pid: 10, startTime: '100', started: '' };
  // 10 keeper (group 10) > 11 bwrap (group 10) > 12 init (own session 12) > 13 app (12) > 14, 15 (setsid)
  // 20: another process in no relation; 30 left in group 10 after its parent exited.
  const table = [
    proc(1, 0, 1),
    proc(10, 1, 10),
    proc(11, 10, 10),
    proc(12, 11, 12),
    proc(13, 12, 12),
    proc(14, 13, 12),
    proc(15, 12, 15),
    proc(16, 13, 12, 'Z'),
    proc(20, 1, 20),
    proc(30, 1, 10),
    proc(31, 30, 31),
  ];

  it('is the recorded process, its group and every descendant, without zombies', () => {
    expect([...instanceMembers(recorded, table)].sort((a, b) => a - b)).toEqual([
      10, 11, 12, 13, 14, 15, 30, 31,
    ]);
  });

  it('is empty when the pid names another process now, or nothing was recorded', () => {
    expect(instanceMembers({ ...recorded, startTime: '999' }, table).size).toBe(0);
    expect(instanceMembers(undefined, table).size).toBe(0);
    expect(instanceMembers({ ...recorded, pid: 1 }, table).size).toBe(0);
  });

  it('still finds what the group left once the recorded process exited', () => {
    const gone = table.filter((s) => s.pid !== 10);
    expect([...instanceMembers(recorded, gone)].sort((a, b) => a - b)).toEqual([11, 12, 13, 14, 15, 30, 31]);
  });
});

describe('parseProcStat', () => {
  it('reads state, ppid, pgrp and start time past a command with spaces and parentheses', () => {
    const fields = ['S', '7', '9', ...Array(16).fill('0'), '4242'];
    expect(parseProcStat(5, `5 (a (b) c) ${fields.join(' ')} 0 0`)).toEqual({
      pid: 5,
      state: 'S',
      ppid: 7,
      pgrp: 9,
      startTime: '4242',
    });
  });
});
