#!/usr/bin/env node
// @ports/probe against get-port: the time to check 1,000 ports, for the same answer.
//
// Two shapes, each measured over several rounds (median reported, contenders alternating):
// - "1,000 free ports, one question each": isPortInUse(p) vs getPort({ port: p }) === p. Both must
//   call every port free.
// - "one scan past 999 busy ports": findFreePort({ range }) vs getPort({ port: portNumbers(a, b) }),
//   with a..b-1 held by listeners on a mix of addresses. Both must answer b.
// get-port binds every local address in turn (its default host, 0.0.0.0, then each interface
// address); ours binds `::` dual-stack once, which the kernel checks against every local address,
// IPv4 and IPv6 (the address matrix test proves each listener kind is caught).
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { findFreePort, isPortInUse } from '@ports/probe';
import getPort, { clearLockedPorts, portNumbers } from 'get-port';

const COUNT = 1000;
const ROUNDS = 11;

function listen(host, port) {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen({ host, port, exclusive: true }, () => resolve(server));
  });
}
const close = (server) => new Promise((resolve) => server.close(resolve));

/** A window of COUNT consecutive free ports below the ephemeral range, so parallel test runs rarely touch it. */
async function freeWindow() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = 10_000 + Math.floor(Math.random() * 20_000);
    let allFree = true;
    for (let port = start; port < start + COUNT && allFree; port++) allFree = !(await isPortInUse(port));
    if (allFree) return start;
  }
  throw new Error('no window of 1,000 free ports found');
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function time(fn) {
  const started = process.hrtime.bigint();
  const answer = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, answer };
}

async function compare(label, ours, theirs) {
  const oursMs = [];
  const theirsMs = [];
  for (let round = 0; round < ROUNDS; round++) {
    // get-port remembers ports it returned for 15-30 s; forget them so every round asks the same question.
    clearLockedPorts();
    const pair = round % 2 === 0 ? [ours, theirs] : [theirs, ours];
    for (const contender of pair) {
      const { ms, answer } = await time(contender.run);
      if (JSON.stringify(answer) !== JSON.stringify(contender === ours ? ours.expected : theirs.expected)) {
        throw new Error(
          `${label}: ${contender.name} gave a different answer in round ${round + 1}; the machine changed under the benchmark, run it again`,
        );
      }
      (contender === ours ? oursMs : theirsMs).push(ms);
    }
  }
  const o = median(oursMs);
  const t = median(theirsMs);
  console.log(`${label}`);
  console.log(
    `  @ports/probe  ${o.toFixed(1).padStart(8)} ms  (${((COUNT / o) * 1000).toFixed(0)} ports/s, ${ours.binds})`,
  );
  console.log(
    `  get-port      ${t.toFixed(1).padStart(8)} ms  (${((COUNT / t) * 1000).toFixed(0)} ports/s, ${theirs.binds})`,
  );
  console.log(`  ratio: get-port / @ports/probe = ${(t / o).toFixed(2)}x (median of ${ROUNDS} rounds)`);
}

const addresses = Object.values(networkInterfaces()).flatMap((list) =>
  (list ?? []).map((entry) => entry.address),
);
const getPortHosts = new Set([undefined, '0.0.0.0', ...addresses]).size;
console.log(
  `local addresses: ${addresses.join(', ')}\n` +
    `per free port: @ports/probe binds 1 (:: dual-stack, covers all of them plus both wildcards); get-port binds ${getPortHosts} (default host, 0.0.0.0, each address)`,
);

const start = await freeWindow();
const end = start + COUNT - 1;
const ports = Array.from({ length: COUNT }, (_, i) => start + i);
console.log(`ports ${start}-${end}`);

await compare(
  `1,000 free ports, one question each (all must be free):`,
  {
    name: '@ports/probe',
    binds: '1 bind/port',
    expected: ports.map(() => true),
    run: async () => {
      const free = [];
      for (const port of ports) free.push(!(await isPortInUse(port)));
      return free;
    },
  },
  {
    name: 'get-port',
    binds: `${getPortHosts} binds/port`,
    expected: ports.map(() => true),
    run: async () => {
      const free = [];
      for (const port of ports) free.push((await getPort({ port })) === port);
      return free;
    },
  },
);

// Hold all but the last port, on addresses of every kind, so the scan must pass 999 busy ports.
const holdHosts = ['127.0.0.1', '0.0.0.0', '::1', '::', ...addresses.filter((a) => !a.startsWith('fe80'))];
const held = [];
for (let i = 0; i < COUNT - 1; i++) {
  const server = (await listen(holdHosts[i % holdHosts.length], ports[i])) ?? (await listen('::', ports[i]));
  if (!server) throw new Error(`port ${ports[i]} was taken while setting up; run the benchmark again`);
  held.push(server);
}
try {
  await compare(
    `one scan past 999 busy ports (answer must be ${end}):`,
    {
      name: '@ports/probe',
      binds: '1 bind/port',
      expected: end,
      run: () => findFreePort({ range: [start, end] }),
    },
    {
      name: 'get-port',
      binds: `1 bind/busy port, ${getPortHosts} for the free one`,
      expected: end,
      run: () => getPort({ port: portNumbers(start, end) }),
    },
  );
} finally {
  await Promise.all(held.map(close));
}
