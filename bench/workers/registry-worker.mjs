// Benchmark worker: runs `warmup` allocate/release cycles on a registry of its own (so the code is
// compiled and first-use costs are paid, as benchmark harnesses warm up), reports ready, waits for
// "go" on stdin, runs `cycles` cycles on the shared registry and prints allocate latencies (ms) as JSON.
import { PortRegistry } from '@ports/registry';
import { DesignRegistry } from '../baselines/design-registry.mjs';

const [impl, file, start, end, cycles, warmup] = process.argv.slice(2);
const range = [Number(start), Number(end)];

function open(path) {
  return impl === 'ours'
    ? new PortRegistry({ file: path, range, logger: false, lockTimeoutMs: 120_000 })
    : new DesignRegistry(path, range);
}

async function cycle(registry, id) {
  const began = performance.now();
  if (impl === 'ours') await registry.allocate({ instanceId: id });
  else await registry.allocate(id);
  const latency = performance.now() - began;
  await registry.release(id);
  return latency;
}

const scratch = open(`${file}.warmup-${process.pid}`);
for (let i = 0; i < Number(warmup); i++) await cycle(scratch, `warmup-${process.pid}-${i}`);

const registry = open(file);
process.stdin.once('data', async () => {
  const latencies = [];
  for (let i = 0; i < Number(cycles); i++) latencies.push(await cycle(registry, `bench-${process.pid}-${i}`));
  process.stdout.write(`${JSON.stringify(latencies)}\n`);
  process.exit(0);
});
process.stderr.write('ready\n');
