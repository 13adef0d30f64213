#!/usr/bin/env node
// `cmgr create`, `list` and `start` before and after a change, in one run: the cmgr of a base commit
// (default babff3c, the main branch before issue 23; CMGR_BENCH_BASE=<ref> picks another) against the
// cmgr of this working tree.
//
// Self-contained: both are built here the same way, so the comparison is of the code and nothing else.
// The base commit's apps/cmgr and packages are taken with `git archive` into a temp dir; each tree's
// src/cli.ts is bundled by esbuild (the one tsx brings) with code splitting like the real build, its
// `@ports/*` imports resolved to that tree's own package sources and npm dependencies (zod) inlined.
// Each contender gets a fresh HOME with 10 instances; rounds alternate contenders so a busy moment hits
// both alike; every figure is the median wall time of a whole `node cmgr.mjs …` process.
//
// - create: `cmgr create b<n>` (a new instance each round; the user config has two MCP servers).
// - list:   `cmgr list` of the 10 + n instances.
// - start:  `cmgr start s --sandbox <bwrap if installed, else none>` of a stand-in Claude Desktop
//           (`/bin/sh -c 'exec sleep 600'`), then a `cmgr stop s` that is not timed.
// Target: no figure more than 10% worse after than before.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = process.env.CMGR_BENCH_BASE || 'babff3c';
const ROUNDS = 11;
const INSTANCES = 10;
const TARGET = 1.1;

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const esbuild = await import(createRequire(require.resolve('tsx')).resolve('esbuild'));
const work = mkdtempSync(join(tmpdir(), 'cmgr-before-after-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const bwrap = spawnSync('sh', ['-c', 'command -v bwrap'], { encoding: 'utf8' }).stdout.trim();
const sandbox = bwrap ? 'bwrap' : 'none';

/** Bundles `<tree>/apps/cmgr/src/cli.ts` behind a tiny entry into `<out>/cmgr.mjs` (plus its chunks). */
async function bundle(tree, out) {
  mkdirSync(out, { recursive: true });
  const entry = join(out, 'entry.ts');
  writeFileSync(
    entry,
    `import { main } from ${JSON.stringify(join(tree, 'apps/cmgr/src/cli.ts'))};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
  );
  const ports = {
    name: 'ports-sources',
    setup(build) {
      build.onResolve({ filter: /^@ports\/[a-z-]+(\/core)?$/ }, (args) => {
        const [, name, sub] = /^@ports\/([a-z-]+)(\/core)?$/.exec(args.path);
        return { path: join(tree, 'packages', name, 'src', sub ? 'core.ts' : 'index.ts') };
      });
    },
  };
  await esbuild.build({
    entryPoints: { cmgr: entry },
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [ports],
    // zod and the like, from this checkout's installed packages (the base's lockfile pins the same).
    nodePaths: [join(root, 'node_modules'), join(root, 'packages/cmgr-config/node_modules')],
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return join(out, 'cmgr.mjs');
}

function git(args, options = {}) {
  const result = spawnSync('git', ['-C', root, ...args], {
    encoding: 'buffer',
    maxBuffer: 1 << 28,
    ...options,
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** A HOME for one contender: the user's Claude config, a stand-in Claude, 10 instances and `s`. */
function makeHome(name, script) {
  const home = join(work, `home-${name}`);
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    CMGR_HOME: join(home, '.cmgr'),
    CMGR_SANDBOXES: join(home, 'sandboxes'),
    NO_COLOR: '1',
    MCP_BASE_PORT: '41000',
  };
  mkdirSync(join(home, '.config', 'Claude'), { recursive: true });
  mkdirSync(env.CMGR_HOME, { recursive: true });
  writeFileSync(
    join(home, '.config', 'Claude', 'claude_desktop_config.json'),
    JSON.stringify({
      mcpServers: {
        filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
        'my-db': { command: 'my-db-mcp' },
      },
    }),
  );
  writeFileSync(
    join(env.CMGR_HOME, 'config.json'),
    JSON.stringify({ claudeCommand: ['/bin/sh', '-c', 'exec sleep 600', 'stand-in'], sandbox }),
  );
  const run = (args, ok = true) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [script, ...args], { env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (ok && result.status !== 0)
      throw new Error(`${name}: cmgr ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return ms;
  };
  for (let i = 0; i < INSTANCES; i += 1) run(['create', `i${i}`]);
  run(['create', 's']);
  return { name, run };
}

const contenders = [];
try {
  const baseTree = join(work, 'base');
  mkdirSync(baseTree);
  const archive = git(['archive', '--format=tar', BASE, 'apps/cmgr/src', 'packages']);
  const untar = spawnSync('tar', ['-x', '-C', baseTree], { input: archive });
  if (untar.status !== 0) throw new Error(`tar: ${untar.stderr}`);
  const commit = git(['rev-parse', '--short', `${BASE}^{commit}`])
    .toString()
    .trim();
  contenders.push(makeHome('before', await bundle(baseTree, join(work, 'build-before'))));
  contenders.push(makeHome('after', await bundle(root, join(work, 'build-after'))));
  const times = Object.fromEntries(contenders.map((c) => [c.name, { create: [], list: [], start: [] }]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const contender of round % 2 === 0 ? contenders : [...contenders].reverse()) {
      const t = times[contender.name];
      t.create.push(contender.run(['create', `b${round}`]));
      t.list.push(contender.run(['list']));
      t.start.push(contender.run(['start', 's']));
      contender.run(['stop', 's']);
    }
  }
  console.log(
    `base ${BASE} (${commit}) vs this tree; ${INSTANCES}+ instances, start in ${sandbox}; median of ${ROUNDS} runs; target after <= ${TARGET}x before`,
  );
  console.log(`${'command'.padEnd(12)} ${'before'.padStart(10)} ${'after'.padStart(10)}  after/before`);
  let worse = 0;
  for (const op of ['create', 'list', 'start']) {
    const before = median(times.before[op]);
    const after = median(times.after[op]);
    const ratio = after / before;
    if (ratio > TARGET) worse += 1;
    console.log(
      `cmgr ${op.padEnd(7)} ${before.toFixed(1).padStart(7)} ms ${after.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}x${ratio > TARGET ? '  OVER TARGET' : '  ok'}`,
    );
  }
  process.exitCode = worse === 0 ? 0 : 1;
} finally {
  // Stop whatever a failed round left running, then remove everything.
  for (const contender of contenders) contender.run(['stop', 's'], false);
  rmSync(work, { recursive: true, force: true });
}
