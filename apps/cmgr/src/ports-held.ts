import { holderText } from './port-state.js';
import type { RecordedTool } from './state.js';

/**
 * One warning line naming every tool port of `name` that a process holds (pid and command), or
 * `undefined` when all are free. Only listening sockets are seen (`@ports/probe`'s `portHoldersOf`).
 */
export async function heldPortsLine(
  name: string,
  tools: readonly RecordedTool[],
): Promise<string | undefined> {
  if (tools.length === 0) return undefined;
  const { portHoldersOf } = await import('@ports/probe');
  const holders = await portHoldersOf(tools.map((tool) => tool.port));
  const held = tools.flatMap((tool) => {
    const found = holders.get(tool.port) ?? [];
    if (found.length === 0) return [];
    return [`${tool.port} (${tool.server}) is held by ${holderText(found)}`];
  });
  if (held.length === 0) return undefined;
  return `port ${held.join('; ')}: that server of '${name}' will fail to listen; stop the holder, or 'cmgr stop ${name}' then 'cmgr move ${name}'`;
}
