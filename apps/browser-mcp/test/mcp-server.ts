import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { freePortRange, LineBuffer } from '@ports/test-utils';
import { expect } from 'vitest';
import { testPairingFile, testRegistry } from './fake-extension.js';

// End-to-end against the BUILT app: run `pnpm --filter @ports/browser-mcp build` first.
export const bin = fileURLToPath(new URL('../bin/browser-mcp.js', import.meta.url));

export interface Started extends AsyncDisposable {
  readonly client: Client;
  readonly port: number;
  readonly stderr: LineBuffer;
  /** The server's own registry file and port range. */
  readonly registry: string;
  readonly range: { readonly start: number; readonly end: number };
}

/** Spawns the built server through the SDK's stdio client, as an AI client would. */
export async function startServer(args: readonly string[] = [], instanceId = 'e2e'): Promise<Started> {
  const range = await freePortRange(3);
  const registry = testRegistry();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, '--ports', `${range.start}-${range.end}`, ...args],
    env: {
      ...getDefaultEnvironment(),
      MCP_INSTANCE_ID: instanceId,
      BROWSER_MCP_REGISTRY: registry,
      BROWSER_MCP_PAIRING_FILE: testPairingFile(),
    },
    stderr: 'pipe',
  });
  // stderr: 'pipe' makes the transport expose a PassThrough at once, before the child starts.
  const stderr = new LineBuffer(transport.stderr as Readable);
  const client = new Client({ name: 'browser-mcp-e2e', version: '1.0.0' });
  const dispose = async (): Promise<void> => {
    await client.close();
  };
  try {
    await client.connect(transport);
    const line = await stderr.waitFor(/listening on 127\.0\.0\.1:\d+ as /);
    const port = Number(/:(\d+) as /.exec(line)?.[1]);
    expect(port).toBeGreaterThanOrEqual(range.start);
    expect(port).toBeLessThanOrEqual(range.end);
    return { client, port, stderr, registry, range, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

export function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  const content = result.content as { type: string; text?: string }[];
  return content.map((part) => part.text ?? '').join('\n');
}
