import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { acquire } from '@ports/lock';
import { freePortRange, LineBuffer, spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { TOOL_NAMES } from '../src/tools.js';
import { testRegistry } from './fake-extension.js';
import { bin, text } from './mcp-server.js';

describe('start-up', () => {
  it('answers initialize while the registry is locked; a tool called meanwhile waits for the port', async () => {
    const registry = testRegistry();
    const range = await freePortRange(2);
    // Another process in the middle of a registry transaction: allocation must wait for it.
    const lock = await acquire(`${registry}.lock`);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, '--ports', `${range.start}-${range.end}`, '--connect-timeout', '300'],
      env: {
        ...getDefaultEnvironment(),
        MCP_INSTANCE_ID: 'early',
        BROWSER_MCP_REGISTRY: registry,
        BROWSER_MCP_PAIRING_FILE: process.env.BROWSER_MCP_PAIRING_FILE as string,
      },
      stderr: 'pipe',
    });
    const stderr = new LineBuffer(transport.stderr as Readable);
    const client = new Client({ name: 'startup-test', version: '1.0.0' });
    try {
      await client.connect(transport);
      expect(client.getServerVersion()).toMatchObject({ name: 'browser-mcp' });
      expect((await client.listTools()).tools.length).toBe(TOOL_NAMES.length);
      expect(stderr.text).not.toContain('listening on');

      const calling = client.callTool({ name: 'browser_snapshot', arguments: {} });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stderr.text).not.toContain('listening on');
      await lock.release();

      const result = await calling;
      const line = await stderr.waitFor(/listening on 127\.0\.0\.1:\d+ as early/);
      const port = /:(\d+) as /.exec(line)?.[1];
      expect(result.isError).toBe(true);
      expect(text(result)).toContain(`port ${port}`);
      expect(text(result)).toContain('browser-mcp pair');
      expect(stderr.text).not.toContain('early initialize answer differed');
    } finally {
      await lock.release().catch(() => {});
      await client.close();
    }
  });

  it('still stops on SIGTERM while the allocation waits for the registry lock', async () => {
    const registry = testRegistry();
    const range = await freePortRange(2);
    const lock = await acquire(`${registry}.lock`);
    const child = spawnFixture(bin, ['--ports', `${range.start}-${range.end}`], {
      env: { MCP_INSTANCE_ID: 'stuck', BROWSER_MCP_REGISTRY: registry },
    });
    try {
      child.child.stdin?.write(
        `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`,
      );
      await child.waitForStdoutLine(/"id":1/);
      child.kill('SIGTERM');
      expect(await child.exited()).toEqual({ code: 0, signal: null });
      // It did not wait for the lock, which is still ours.
      expect(lock.held).toBe(true);
      expect(child.stderr.text).not.toContain('listening on');
    } finally {
      await lock.release().catch(() => {});
      await child[Symbol.asyncDispose]();
    }
  });
});
