/**
 * @internal One warning line on stderr. Libraries must never write to stdout: in an MCP server
 * stdout is the protocol stream.
 */
export function warn(message: string): void {
  try {
    process.stderr.write(`[heartbeat] ${message}\n`);
  } catch {
    // A closed stderr must not turn a warning into a crash.
  }
}

/** @internal A short, single-line description of anything thrown. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s*\n\s*/g, ' ');
}
