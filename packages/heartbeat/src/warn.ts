import { writeStderr } from '@ports/stderr';

/**
 * @internal One warning line on stderr. Libraries must never write to stdout: in an MCP server
 * stdout is the protocol stream. A closed stderr must not turn a warning into a crash.
 */
export function warn(message: string): void {
  writeStderr(`[heartbeat] ${message}\n`);
}

/** @internal A short, single-line description of anything thrown. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s*\n\s*/g, ' ');
}
