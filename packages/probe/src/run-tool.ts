import { execFile } from 'node:child_process';

/** What a tool printed and how it exited; `undefined` when it could not run at all. */
export interface ToolOutput {
  readonly stdout: string;
  readonly code: number;
}

/**
 * @internal Runs `command` with `args` (no shell) and collects its stdout. A tool that is missing, hangs
 * past 5 s or is killed gives `undefined`: callers then report the holder as unknown, never an error.
 */
export function runTool(command: string, args: readonly string[]): Promise<ToolOutput | undefined> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        encoding: 'utf8',
        timeout: 5000,
        maxBuffer: 16 * 1024 * 1024,
        windowsHide: true,
        env: { ...process.env, LC_ALL: 'C' },
      },
      (error, stdout) => {
        if (!error) return resolve({ stdout, code: 0 });
        const { code } = error as { code?: unknown };
        // A number is the tool's exit status (lsof says 1 when nothing matched); anything else
        // (ENOENT, a signal, a timeout) means it did not run to the end.
        resolve(typeof code === 'number' && !error.killed ? { stdout, code } : undefined);
      },
    );
  });
}
