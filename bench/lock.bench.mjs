#!/usr/bin/env node
// Lock contention benchmark: N processes x CYCLES of lock -> read counter -> increment -> write ->
// unlock, for @ports/lock against proper-lockfile and npm `lockfile`. Workers start, report ready,
// and begin together on "go", so process start-up is not measured. Prints cycles/s, acquire
// latency p50/p99/max, checks the counter is exact, and the ratios against ours.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const CYCLES = 500;
const PROCESS_COUNTS = [1, 4];
const CONTENDERS = ['@ports/lock', 'proper-lockfile', 'lockfile'];

async function makeLocker(name, counter) {
  const lockPath = `${counter}.lock`;
  if (name === '@ports/lock') {
    const { acquire } = await import('@ports/lock');
    return async () => {
      const lock = await acquire(lockPath, { timeoutMs: 60_000 });
      return () => lock.release();
    };
  }
  if (name === 'proper-lockfile') {
    const { default: properLockfile } = await import('proper-lockfile');
    const retries = { retries: 1000, minTimeout: 5, maxTimeout: 50, randomize: true };
    return async () => properLockfile.lock(counter, { retries, realpath: false });
  }
  const { default: lockfile } = await import('lockfile');
  const options = { wait: 60_000, pollPeriod: 5, stale: 10_000 };
  return () =>
    new Promise((resolve, reject) => {
      lockfile.lock(lockPath, options, (error) => {
        if (error) reject(error);
        else resolve(() => new Promise((done) => lockfile.unlock(lockPath, done)));
      });
    });
}

async function worker(name, counter) {
  const lock = await makeLocker(name, counter);
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of lines) if (line === 'go') break;
  const waits = [];
  for (let i = 0; i < CYCLES; i++) {
    const start = process.hrtime.bigint();
    const release = await lock();
    waits.push(Number(process.hrtime.bigint() - start) / 1e6);
    const value = Number(readFileSync(counter, 'utf8'));
    writeFileSync(counter, String(value + 1));
    await release();
  }
  process.stdout.write(`${JSON.stringify(waits)}\n`);
  process.exit(0);
}

function startWorker(name, counter) {
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, 'worker', name, counter], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async () => (await iterator.next()).value;
  return { child, next };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function run(name, processes) {
  const dir = mkdtempSync(join(tmpdir(), 'lock-bench-'));
  const counter = join(dir, 'counter');
  writeFileSync(counter, '0');
  try {
    const workers = Array.from({ length: processes }, () => startWorker(name, counter));
    for (const w of workers)
      if ((await w.next()) !== 'ready') throw new Error(`${name} worker failed to start`);
    const start = process.hrtime.bigint();
    for (const w of workers) w.child.stdin.write('go\n');
    const results = await Promise.all(workers.map((w) => w.next()));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const waits = results.flatMap((line) => JSON.parse(line)).sort((a, b) => a - b);
    const expected = processes * CYCLES;
    const final = Number(readFileSync(counter, 'utf8'));
    return {
      name,
      processes,
      cyclesPerSecond: expected / seconds,
      p50: percentile(waits, 50),
      p99: percentile(waits, 99),
      max: waits[waits.length - 1],
      exact: final === expected,
      final,
      expected,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (ms) => `${ms.toFixed(2)} ms`;

async function main() {
  let inexact = 0;
  for (const processes of PROCESS_COUNTS) {
    const rows = [];
    for (const name of CONTENDERS) rows.push(await run(name, processes));
    const ours = rows[0];
    for (const r of rows) {
      if (!r.exact) inexact++;
      console.log(
        `lock ${String(processes)}p x${CYCLES} ${r.name.padEnd(16)} ${r.cyclesPerSecond.toFixed(0).padStart(6)} cycles/s  ` +
          `acquire p50 ${fmt(r.p50)} p99 ${fmt(r.p99)} max ${fmt(r.max)}  counter ${r.exact ? 'exact' : `WRONG ${r.final}/${r.expected}`}`,
      );
    }
    for (const r of rows.slice(1)) {
      console.log(
        `lock ${String(processes)}p ratio @ports/lock vs ${r.name}: ${(ours.cyclesPerSecond / r.cyclesPerSecond).toFixed(2)}x cycles/s, ` +
          `p99 ${(r.p99 / ours.p99).toFixed(1)}x lower, max ${(r.max / ours.max).toFixed(1)}x lower`,
      );
    }
  }
  if (inexact > 0) process.exit(1);
}

if (process.argv[2] === 'worker') await worker(process.argv[3], process.argv[4]);
else await main();
