/** The fields of a `/proc/<pid>/stat` line that say which process it is and where it stands. */
export interface ProcStatLine {
  /** Field 3: `R`, `S`, `D`, `T`, `Z`… A zombie (`Z`) has exited and only waits to be reaped. */
  readonly state: string;
  /** Field 4: the parent's pid. */
  readonly ppid: number;
  /** Field 5: the process group. */
  readonly pgrp: number;
  /** Field 22: clock ticks after boot. With the pid it names one process for good. */
  readonly startTime: number;
}

/**
 * Parses one `/proc/<pid>/stat` line (Linux), or returns `undefined` when the text is not one. The
 * command name (field 2) is in parentheses and may itself hold spaces and parentheses, so the fields
 * are counted from the last `)`. The one parser of these lines in the repository: the lock reads start
 * times with it, and cmgr its process table.
 *
 * @example
 * ```ts source="./index.examples.ts#parseProcStatLine"
 * const stat = parseProcStatLine(readFileSync(`/proc/${pid}/stat`, 'latin1'));
 * if (stat?.state === 'Z') console.error(`${pid} has exited`);
 * ```
 */
export function parseProcStatLine(text: string): ProcStatLine | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // fields[0] is field 3 (state); field N is fields[N - 3].
  const fields = text.slice(close + 2).split(' ');
  const state = fields[0];
  const ppid = Number(fields[1]);
  const pgrp = Number(fields[2]);
  const startTime = Number(fields[19]);
  if (!state || !Number.isSafeInteger(startTime) || !Number.isInteger(ppid) || !Number.isInteger(pgrp))
    return undefined;
  return { state, ppid, pgrp, startTime };
}
