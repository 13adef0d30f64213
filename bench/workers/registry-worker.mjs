// Benchmark worker: waits for "go" on stdin, runs `cycles` allocate/release cycles with the
// chosen implementation, prints allocate latencies (ms) as JSON.
import { PortRegistry } from '@ports/registry';
import { DesignRegistry } from '../baselines/design-registry.mjs';

const [impl, file, start, end, cycles] = process.argv.slice(2);
const range = [Number(start), Number(end)];
const registry =
  impl === 'ours'
    ? new PortRegistry({ file, range, logger: false, lockTimeoutMs: 120_000 })
    : new DesignRegistry(file, range);

process.stdin.once('data', async () => {
  const latencies = [];
  for (let i = 0; i < Number(cycles); i++) {
    const id = `bench-${process.pid}-${i}`;
    const began = performance.now();
    if (impl === 'ours') await registry.allocate({ instanceId: id });
    else await registry.allocate(id);
    latencies.push(performance.now() - began);
    await registry.release(id);
  }
  process.stdout.write(`${JSON.stringify(latencies)}\n`);
  process.exit(0);
});
process.stderr.write('ready\n');
