#!/usr/bin/env node
// `pnpm demo`: five browser-mcp servers started at once, as five AI clients would, sharing one
// registry. Shows distinct ports, the live-instance table, a tool call round trip through a stand-in
// extension, crash recovery after SIGKILL, and an empty registry after shutdown. It uses a registry
// file of its own in a temp directory, so it never disturbs real servers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import WebSocket from 'ws';

const bin = fileURLToPath(new URL('../bin/browser-mcp.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'browser-mcp-demo-'));
const registry = join(dir, 'registry.json');
const ports = process.env.BROWSER_MCP_PORTS || '8765-8775';
const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (title) => say(`\n== ${title}`);

/** Starts one server through the MCP SDK's stdio client, exactly as Claude Desktop or Cursor would. */
async function startServer(name) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, '--registry', registry, '--ports', ports],
    env: { ...getDefaultEnvironment(), MCP_INSTANCE_ID: name },
    stderr: 'pipe',
  });
  let stderr = '';
  const listening = new Promise((resolve, reject) => {
    transport.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on ([\d.]+):(\d+) as (\S+)/.exec(stderr);
      if (match) resolve(Number(match[2]));
    });
    setTimeout(() => reject(new Error(`${name} did not start:\n${stderr}`)), 30_000).unref();
  });
  const client = new Client({ name: `demo-client-${name}`, version: '1.0.0' });
  await client.connect(transport);
  return { name, client, transport, port: await listening };
}

function instancesTable() {
  const result = spawnSync(process.execPath, [bin, 'instances', '--registry', registry, '--ports', ports], {
    encoding: 'utf8',
  });
  return result.stdout.trimEnd();
}

/**
 * A stand-in for the Chrome extension, speaking its protocol: `hello`, then answers
 * `browser_navigate` in the `{id, type, payload}` shape, and any other command with an error.
 */
function connectExtension(port) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, { origin: 'chrome-extension://demo' });
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'helloAck') {
        say(`   extension: helloAck from ${message.instanceId} on port ${message.port}`);
        resolve(socket);
        return;
      }
      if (typeof message.id !== 'number') return;
      say(`   extension received: ${JSON.stringify(message)}`);
      if (message.type !== 'browser_navigate') {
        socket.send(JSON.stringify({ id: message.id, error: `the stand-in cannot do ${message.type}` }));
        return;
      }
      const url = message.payload?.url;
      socket.send(
        JSON.stringify({
          id: message.id,
          type: message.type,
          payload: { url, title: `Example page at ${url}` },
        }),
      );
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', wants: 'instanceId' })));
    socket.once('error', reject);
  });
}

const servers = [];
let exitCode = 0;
try {
  step(`Starting five browser-mcp servers at once (registry ${registry}, ports ${ports})`);
  servers.push(
    ...(await Promise.all(['claude-desktop', 'cursor', 'claude-code', 'windsurf', 'zed'].map(startServer))),
  );
  for (const server of servers)
    say(`   ${server.name.padEnd(15)} -> port ${server.port} (pid ${server.transport.pid})`);
  const distinct = new Set(servers.map((server) => server.port)).size;
  say(`   ${distinct} distinct ports for ${servers.length} servers`);
  if (distinct !== servers.length) throw new Error('two servers share a port');

  step('browser-mcp instances');
  say(instancesTable());

  step(
    `A stand-in extension connects to ${servers[0].name} (port ${servers[0].port}); the client calls browser_navigate`,
  );
  const extension = await connectExtension(servers[0].port);
  const result = await servers[0].client.callTool({
    name: 'browser_navigate',
    arguments: { url: 'https://example.com' },
  });
  const text = result.content.map((part) => part.text ?? `[${part.type}]`).join(' ');
  say(`   MCP result${result.isError ? ' (error)' : ''}: ${text.replace(/\s*\n\s*/g, ' ')}`);
  extension.close();

  const victim = servers[2];
  step(`kill -9 ${victim.name} (pid ${victim.transport.pid}, port ${victim.port}), then start a new server`);
  process.kill(victim.transport.pid, 'SIGKILL');
  await victim.client.close().catch(() => {});
  servers.splice(2, 1);
  const newcomer = await startServer('newcomer');
  servers.push(newcomer);
  say(
    `   newcomer -> port ${newcomer.port}${newcomer.port === victim.port ? ' (the dead server’s port, recovered at once)' : ''}`,
  );
  say(instancesTable());

  step('Shutting every client down (each server sees stdin close, releases its entry and exits)');
  await Promise.all(servers.splice(0).map((server) => server.client.close()));
  // The clients have closed the pipes; give the servers a moment to release and exit.
  for (let waited = 0; waited < 5000 && !instancesTable().startsWith('no live'); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  say(instancesTable());
  say(`   registry file: ${readFileSync(registry, 'utf8').replace(/\s+/g, ' ').trim()}`);
} catch (error) {
  exitCode = 1;
  process.stderr.write(`demo failed: ${error?.stack ?? error}\n`);
} finally {
  await Promise.all(servers.map((server) => server.client.close().catch(() => {})));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
