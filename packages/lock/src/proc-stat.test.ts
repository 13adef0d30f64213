import { readFileSync } from 'node:fs';
import { needsProc, procMounted } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { parseProcStatLine } from './proc-stat.js';

describe('parseProcStatLine', () => {
  it('reads state, ppid, pgrp and field 22, also past a command name holding spaces and parentheses', () => {
    const line =
      '4242 (my (odd) cmd) S 1 4240 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1234567 89';
    expect(parseProcStatLine(line)).toEqual({ state: 'S', ppid: 1, pgrp: 4240, startTime: 987654 });
  });

  it('is undefined for text that is not a stat line', () => {
    expect(parseProcStatLine('garbage')).toBeUndefined();
    expect(parseProcStatLine('1 (cut) S 0 1')).toBeUndefined();
    expect(parseProcStatLine('')).toBeUndefined();
  });

  it('reads this process from /proc', (context) => {
    // Hidden in CI's second leg (an empty tmpfs over /proc), absent on macOS and Windows.
    if (!procMounted) context.skip(needsProc('this process’s stat line'));
    const stat = parseProcStatLine(readFileSync(`/proc/${process.pid}/stat`, 'latin1'));
    expect(stat?.ppid).toBe(process.ppid);
    expect(stat?.startTime).toBeGreaterThan(0);
  });
});
