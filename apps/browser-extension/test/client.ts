import { expect } from 'vitest';
import { type McpServerProcess, resultText } from './harness.js';

/** The MCP client of a started server. */
export type Tool = McpServerProcess['client'];

/** Calls a tool; the result's error flag, text and raw content. */
export async function call(client: Tool, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  return { isError: result.isError === true, text: resultText(result), content: result.content as unknown[] };
}

/** Calls a tool that must succeed, and returns its text. */
export async function ok(client: Tool, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = await call(client, name, args);
  expect(result.isError, `${name}: ${result.text}`).toBe(false);
  return result.text;
}

/** Calls a tool that must fail, and returns its text. */
export async function fails(client: Tool, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = await call(client, name, args);
  expect(result.isError, `${name} should have failed: ${result.text}`).toBe(true);
  return result.text;
}

/** Polls a cheap command until the extension is connected to the server; fails after `withinMs`. */
export async function connected(server: McpServerProcess, withinMs = 5_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const result = await call(server.client, 'browser_tabs', { action: 'list' });
    if (!result.isError) return Date.now() - started;
    if (Date.now() - started > withinMs)
      throw new Error(`not connected within ${withinMs} ms: ${result.text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The ref on the first snapshot line matching `line`. */
export function refOf(snapshot: string, line: RegExp): string {
  const found = snapshot.split('\n').find((l) => line.test(l));
  // Refs inside a frame of another site carry the frame: s4f1e2.
  const ref = found && /\[ref=(s\d+(?:f\d+)?e\d+)\]/.exec(found)?.[1];
  if (!ref) throw new Error(`no ref for ${line} in:\n${snapshot}`);
  return ref;
}
