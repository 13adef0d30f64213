#!/usr/bin/env node
// `cmgr list` and `cmgr ports` start-up time with 20 instances, against the 150 ms target and against
// `node -e 0` (the floor: what any Node CLI pays before its first line of code).
//
// Each instance's config has the six known MCP servers, so `cmgr ports` checks 120 ports. Wall time of
// the whole process, median of ROUNDS runs, contenders alternating so a busy moment hits all alike.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const INSTANCES = 20;
const ROUNDS = 15;
const TARGET_MS = 150;

const bin = join(
  dirname(createRequire(import.meta.url).resolve('@ports/cmgr/package.json')),
  'bin',
  'cmgr.js',
);
const home = mkdtempSync(join(tmpdir(), 'cmgr-bench-'));
const env = {
  PATH: process.env.PATH,
  HOME: home,
  CMGR_HOME: join(home, '.cmgr'),
  CMGR_SANDBOXES: join(home, 'sandboxes'),
  NO_COLOR: '1',
  // A high area, so `ports` does not meet whatever runs on 9000 here.
  MCP_BASE_PORT: '40000',
};

function run(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && !(args.includes('ports') && result.status === 1)) {
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const servers = {
    filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
    'sequential-thinking': {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-sequential-thinking'],
    },
    memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
    'desktop-commander': { command: 'npx', args: ['-y', '@wonderwhy-er/desktop-commander'] },
    repl: { command: 'repl-mcp' },
    'playwright-mcp-server': { command: 'npx', args: ['-y', '@executeautomation/playwright-mcp-server'] },
  };
  mkdirSync(join(home, '.config', 'Claude'), { recursive: true });
  writeFileSync(
    join(home, '.config', 'Claude', 'claude_desktop_config.json'),
    JSON.stringify({ mcpServers: servers }),
  );
  for (let i = 0; i < INSTANCES; i += 1) run([bin, 'create', `bench-${i}`]);

  const contenders = [
    ['node -e 0 (floor)', ['-e', '0']],
    ['cmgr list', [bin, 'list']],
    ['cmgr list --json', [bin, 'list', '--json']],
    ['cmgr ports', [bin, 'ports']],
    ['cmgr ports --json', [bin, 'ports', '--json']],
  ];
  const times = new Map(contenders.map(([name]) => [name, []]));
  for (const [, args] of contenders) run(args); // warm the file cache
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, args] of contenders) times.get(name).push(run(args));
  }
  const floor = median(times.get('node -e 0 (floor)'));
  console.log(
    `${INSTANCES} instances, 6 tool ports each; median of ${ROUNDS} runs; target < ${TARGET_MS} ms`,
  );
  for (const [name] of contenders) {
    const ms = median(times.get(name));
    const verdict = name.startsWith('node') ? '' : ms < TARGET_MS ? '  ok' : '  OVER TARGET';
    console.log(
      `${name.padEnd(20)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / floor).toFixed(2)}x floor  ${((ms / TARGET_MS) * 100).toFixed(0).padStart(3)}% of target${verdict}`,
    );
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
