// browser-mcp start-up: time from spawn to the `initialize` response, one server alone and the
// fastest of three started together (as a client starting several servers sees it), each as a
// ratio to a bare `node -e 0` measured in the same run (targets: <= 2.5x alone, <= 4x of three),
// and ten servers started together until all of them answered.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('@ports/browser-mcp/package.json')), 'bin', 'browser-mcp.js');
// A registry of the benchmark's own: it must never touch the real /tmp/browsermcp-ports.json.
const registryDir = mkdtempSync(join(tmpdir(), 'bench-browser-mcp-'));
const registry = join(registryDir, 'registry.json');
process.on('exit', () => rmSync(registryDir, { recursive: true, force: true }));

const initialize = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
})}\n`;

function free(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

async function freeRange(size) {
  for (let base = 40_000 + Math.floor(Math.random() * 20_000); ; base += size) {
    const checks = await Promise.all(Array.from({ length: size }, (_, i) => free(base + i)));
    if (checks.every(Boolean)) return `${base}-${base + size - 1}`;
  }
}

/** Spawns a server, resolves with ms until its initialize response, then closes its stdin. */
function startOne(ports) {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, '--ports', ports, '--registry', registry], {
    stdio: ['pipe', 'pipe', 'ignore'],
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
const ports = await freeRange(11);
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
    `${(single / base).toFixed(2)}x node -e 0 (target <= 2.5x)`,
);
console.log(
  `browser-mcp spawn -> initialize, fastest of 3 (median of ${ROUNDS}): ${three.toFixed(0)} ms  ` +
    `${(three / base).toFixed(2)}x node -e 0 (target <= 4x)`,
);
console.log(
  `browser-mcp 10 servers together, all initialized (median of 3): ${median(together).toFixed(0)} ms  ` +
    `${(median(together) / single).toFixed(2)}x one alone`,
);
