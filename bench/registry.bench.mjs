// Multi-process allocation: 1 and 8 processes x 50 allocate/release cycles, ours vs the original
// design's allocator, each process warmed up first by one cycle on a registry of its own; then the
// cold start on its own (8 fresh processes, one allocation each, all at once); then allocation with
// 1,000 live entries in a 2,000-port range.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortRegistry } from '@ports/registry';
import { ms, summarize } from './stats.mjs';

const CYCLES = 50;
const RANGE = [41_000, 41_015];
/** Unmeasured cycles each process runs first, on a registry of its own (JIT, first file and socket calls). */
const WARMUP = 1;

function startWorker(impl, file, cycles, warmup) {
  const child = spawn(
    process.execPath,
    ['workers/registry-worker.mjs', impl, file, ...RANGE.map(String), String(cycles), String(warmup)],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const ready = new Promise((resolve) => child.stderr.once('data', resolve));
  // Done when the worker reports its latencies, as in the lock benchmark: 8 processes tearing down
  // together take tens of ms, which are no part of allocating.
  const done = new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out));
    });
    child.on('exit', (code) => reject(new Error(`worker exited ${code} before reporting`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, ready, done, exited };
}

async function run(impl, processes, cycles = CYCLES, warmup = WARMUP) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-registry-'));
  try {
    const file = join(dir, 'ports.json');
    const workers = Array.from({ length: processes }, () => startWorker(impl, file, cycles, warmup));
    await Promise.all(workers.map((worker) => worker.ready));
    const began = performance.now();
    for (const worker of workers) worker.child.stdin.write('go\n');
    const perProcess = await Promise.all(workers.map((worker) => worker.done));
    const seconds = (performance.now() - began) / 1000;
    await Promise.all(workers.map((worker) => worker.exited));
    return { cyclesPerSecond: (processes * cycles) / seconds, ...summarize(perProcess.flat()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function line(name, result) {
  return `${name.padEnd(34)} ${result.cyclesPerSecond.toFixed(0).padStart(6)} cycles/s   allocate p50 ${ms(result.p50)}  p99 ${ms(result.p99)}  max ${ms(result.max)}`;
}

for (const processes of [1, 8]) {
  const ours = await run('ours', processes);
  const design = await run('design', processes);
  console.log(line(`@ports/registry, ${processes} proc`, ours));
  console.log(line(`design allocator, ${processes} proc`, design));
  console.log(
    `  ratio: ${(ours.cyclesPerSecond / design.cyclesPerSecond).toFixed(1)}x cycles/s, p99 ${(design.p99 / ours.p99).toFixed(1)}x lower`,
  );
}

// The cold start the warm-up leaves out: 8 fresh processes (nothing compiled, no file or socket
// used yet) each allocate once, all at the same moment, on 2 cores.
for (const impl of ['ours', 'design']) {
  const cold = await run(impl, 8, 1, 0);
  const name = impl === 'ours' ? '@ports/registry' : 'design allocator';
  console.log(
    `${`${name}, cold start`.padEnd(34)} 8 fresh processes, first allocation p50 ${ms(cold.p50)}  max ${ms(cold.max)}`,
  );
}

// 1,000 live entries (this process) in a 2,000-port range: cost follows the registry, not the range.
const dir = mkdtempSync(join(tmpdir(), 'bench-registry-big-'));
try {
  const file = join(dir, 'ports.json');
  const now = Date.now();
  const instances = Array.from({ length: 1000 }, (_, i) => ({
    port: 42_000 + i,
    instanceId: `filler-${i}`,
    pid: process.pid,
    createdAt: now,
    lastHeartbeat: now,
  }));
  writeFileSync(file, JSON.stringify({ instances }));
  const registry = new PortRegistry({ file, range: [42_000, 43_999], logger: false });
  const latencies = [];
  for (let i = 0; i < 100; i++) {
    const began = performance.now();
    const { instanceId } = await registry.allocate({ instanceId: `big-${i}` });
    latencies.push(performance.now() - began);
    await registry.release(instanceId);
  }
  const { p50, p99 } = summarize(latencies);
  console.log(
    `1,000 live entries, 2,000-port range: allocate p50 ${ms(p50)}  p99 ${ms(p99)} (target p50 < 5 ms)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
