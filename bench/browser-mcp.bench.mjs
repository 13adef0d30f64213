// browser-mcp start-up: time from spawn to the `initialize` response, one server alone and the
// fastest of three started together (as a client starting several servers sees it), each as a
// ratio to a bare `node -e 0` measured in the same run (targets: <= 2.5x alone, <= 4x of three),
// and ten servers started together until all of them answered. Then the pairing handshake's cost:
// socket open -> first command received, a paired extension against the older unpaired hello on
// the same server in the same run (target: at most 5 ms more).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { derivePairingKey, startExtensionHandshake } from '@ports/browser-protocol';
import WebSocket from 'ws';
import { freeRange } from './free-ports.mjs';

const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@ports/browser-mcp/package.json')), 'bin', 'browser-mcp.js');
// A registry of the benchmark's own: it must never touch the real /tmp/browsermcp-ports.json.
const registryDir = mkdtempSync(join(tmpdir(), 'bench-browser-mcp-'));
const registry = join(registryDir, 'registry.json');
// And a pairing secret of its own: the user's ~/.config/browser-mcp is never touched.
const pairingFile = join(registryDir, 'pairing.json');
const serverEnv = { ...process.env, BROWSER_MCP_PAIRING_FILE: pairingFile };
process.on('exit', () => rmSync(registryDir, { recursive: true, force: true }));

const initialize = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
})}\n`;

/** `start-end`, as `--ports` takes it. */
async function freePorts(size) {
  const { start, end } = await freeRange(size);
  return `${start}-${end}`;
}

/** Spawns a server, resolves with ms until its initialize response, then closes its stdin. */
function startOne(ports) {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, '--ports', ports, '--registry', registry], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: serverEnv,
  });
  child.stdin.write(initialize);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', () => resolve({ ms: performance.now() - started, child }));
  });
}

async function stop(children) {
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          child.once('exit', resolve);
          child.stdin.end();
        }),
    ),
  );
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** ms from spawn to exit of a bare `node -e 0`: what any Node program costs on this machine. */
function bareNode() {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}

const ROUNDS = 15;
const ports = await freePorts(11);
const bare = [];
const singles = [];
const fastestOfThree = [];
// Interleaved, so a slow phase of the machine weighs on every series alike.
for (let i = 0; i < ROUNDS; i++) {
  bare.push(await bareNode());
  const { ms, child } = await startOne(ports);
  singles.push(ms);
  await stop([child]);
  const three = await Promise.all([0, 1, 2].map(() => startOne(ports)));
  fastestOfThree.push(Math.min(...three.map((r) => r.ms)));
  await stop(three.map((r) => r.child));
}
const together = [];
for (let round = 0; round < 3; round++) {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: 10 }, () => startOne(ports)));
  together.push(performance.now() - started);
  await stop(results.map((r) => r.child));
}
const base = median(bare);
const single = median(singles);
const three = median(fastestOfThree);
console.log(`node -e 0, spawn -> exit (median of ${ROUNDS}):                 ${base.toFixed(0)} ms`);
console.log(
  `browser-mcp spawn -> initialize, alone (median of ${ROUNDS}):      ${single.toFixed(0)} ms  ` +
    `${(single / base).toFixed(2)}x node -e 0 (target <= 1.5x)`,
);
console.log(
  `browser-mcp spawn -> initialize, fastest of 3 (median of ${ROUNDS}): ${three.toFixed(0)} ms  ` +
    `${(three / base).toFixed(2)}x node -e 0 (target <= 4x)`,
);
console.log(
  `browser-mcp 10 servers together, all initialized (median of 3): ${median(together).toFixed(0)} ms  ` +
    `${(median(together) / single).toFixed(2)}x one alone`,
);

// The handshake: one server (with --allow-unpaired, so the older extension's plain hello is let in
// too), a tool call waiting for an extension each round, then a socket that pairs (ours) or says
// the plain hello (the older extension's), timed from socket open to the command's arrival.
async function handshakeCost() {
  const { readFileSync } = await import('node:fs');
  const handshakePorts = await freePorts(1);
  const child = spawn(
    process.execPath,
    [
      bin,
      '--ports',
      handshakePorts,
      '--registry',
      registry,
      '--allow-unpaired',
      '--connect-timeout',
      '60000',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], env: serverEnv },
  );
  const port = await new Promise((resolve, reject) => {
    let text = '';
    child.stderr.on('data', (chunk) => {
      text += chunk;
      const match = /listening on [\d.]+:(\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error(`server exited: ${text}`)));
  });
  const secret = Buffer.from(JSON.parse(readFileSync(pairingFile, 'utf8')).secret, 'base64url');
  const key = await derivePairingKey(new Uint8Array(secret));
  child.stdin.write(initialize);
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  let callId = 100;

  const round = (paired) =>
    new Promise((resolve, reject) => {
      child.stdin.write(
        `${JSON.stringify({ jsonrpc: '2.0', id: callId++, method: 'tools/call', params: { name: 'browser_tabs', arguments: { action: 'list' } } })}\n`,
      );
      const socket = new WebSocket(`ws://127.0.0.1:${port}`, { origin: 'chrome-extension://bench' });
      // Our extension's side of the handshake, from the protocol package.
      const handshake = startExtensionHandshake(key, port);
      let opened = 0;
      socket.once('error', reject);
      socket.once('open', () => {
        opened = performance.now();
        socket.send(JSON.stringify(paired ? handshake.hello : { type: 'hello', wants: 'instanceId' }));
      });
      socket.on('message', async (data) => {
        const message = JSON.parse(String(data));
        if (message.type === 'helloAck' && paired) {
          const answer = await handshake.answer(message);
          if (!answer.ok) {
            reject(new Error(answer.reason));
            return;
          }
          socket.send(JSON.stringify(answer.auth));
        } else if (typeof message.id === 'number') {
          const ms = performance.now() - opened;
          socket.send(JSON.stringify({ id: message.id, type: message.type, payload: { tabs: [] } }));
          socket.close();
          socket.once('close', () => resolve(ms));
        }
      });
    });

  const pairedTimes = [];
  const plainTimes = [];
  for (let i = 0; i < 3; i++) await round(i % 2 === 0); // warm-up
  for (let i = 0; i < 30; i++) {
    pairedTimes.push(await round(true));
    plainTimes.push(await round(false));
  }
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
  const paired = median(pairedTimes);
  const plain = median(plainTimes);
  console.log(`socket open -> first command, unpaired hello (median of 30):     ${plain.toFixed(2)} ms`);
  console.log(
    `socket open -> first command, paired handshake (median of 30):  ${paired.toFixed(2)} ms  ` +
      `+${(paired - plain).toFixed(2)} ms, ${(paired / plain).toFixed(2)}x (target <= +5 ms)`,
  );
}
await handshakeCost();
