import { execFile } from 'node:child_process';
import { chown, lstat, mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isPortInUse } from '@ports/probe';
import { createTempDir, firstEphemeralPort } from '@ports/test-utils';

// End-to-end against the BUILT app: run `pnpm --filter @ports/cmgr build` (or `pnpm build`) first.
export const bin = fileURLToPath(new URL('../bin/cmgr.js', import.meta.url));
export const fakeClaude = fileURLToPath(new URL('./fixtures/fake-claude.mjs', import.meta.url));
/** CMGR_CLAUDE_COMMAND for the fake, quoted as cmgr's word splitting expects. */
export const fakeClaudeCommand = `'${process.execPath}' '${fakeClaude}'`;

/**
 * The fake as `"claudeCommand"` words that need no file: its source given to `node -e`. A sandbox
 * hides /tmp, and an unprivileged user may not reach the checkout, so a file could be out of sight.
 */
export async function inlineFakeClaude(): Promise<string[]> {
  // `--`: what cmgr appends (--no-sandbox, --class=…) are the fake's arguments, not node's options.
  return [process.execPath, '--input-type=module', '-e', await readFile(fakeClaude, 'utf8'), '--'];
}

/** Who runs cmgr: by default this process's user. */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
  /** The cmgr script to run (a copy that user can read). */
  readonly bin: string;
}

/** How a cmgr run ended. */
export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temp HOME with CMGR_HOME and CMGR_SANDBOXES inside; dispose kills what cmgr started and removes it. */
export interface CmgrHome extends AsyncDisposable {
  readonly path: string;
  readonly cmgrHome: string;
  readonly sandboxes: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs the built cmgr with this home's environment plus `extra`. */
  run(args: readonly string[], extra?: NodeJS.ProcessEnv): Promise<Result>;
  sandbox(name: string): string;
  registry(): Promise<Registry>;
  portRegistry(): Promise<{ allocated_ports: Record<string, number> }>;
}

export interface Registry {
  version: number;
  instances: Record<
    string,
    {
      name: string;
      base: number;
      size: number;
      ports: boolean;
      sandbox: string;
      tools: { server: string; port: number; env: string }[];
      portsRecord?: Record<string, unknown>;
      shares?: { path: string; readOnly: boolean }[];
      process?: { pid: number; startTime: string };
    }
  >;
}

/** Runs `node bin/cmgr.js args` with exactly `env` (plus PATH), never throwing on a non-zero exit. */
export function runCmgr(args: readonly string[], env: NodeJS.ProcessEnv, as?: RunAs): Promise<Result> {
  const user = as ? { uid: as.uid, gid: as.gid, cwd: '/' } : {};
  return new Promise((resolve) => {
    const options = { env, timeout: 60_000, ...user };
    execFile(process.execPath, [as?.bin ?? bin, ...args], options, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A home for `extra` env; with `as`, owned by and run as that user. */
export async function createCmgrHome(extra: NodeJS.ProcessEnv = {}, as?: RunAs): Promise<CmgrHome> {
  const dir = await createTempDir('cmgr-e2e-');
  if (as) await chown(dir.path, as.uid, as.gid);
  const cmgrHome = dir.join('.cmgr');
  const sandboxes = dir.join('sandboxes');
  // A clean environment: nothing of the runner's MCP_* or CMGR_* leaks in.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir.path,
    CMGR_HOME: cmgrHome,
    CMGR_SANDBOXES: sandboxes,
    NO_COLOR: '1',
    ...extra,
  };
  const readJson = async <T>(file: string): Promise<T> =>
    JSON.parse(await readFile(join(cmgrHome, file), 'utf8')) as T;
  const home: CmgrHome = {
    path: dir.path,
    cmgrHome,
    sandboxes,
    env,
    run: (args, more = {}) => runCmgr(args, { ...env, ...more }, as),
    sandbox: (name) => join(sandboxes, name),
    registry: () => readJson<Registry>('registry.json'),
    portRegistry: () => readJson('port_registry.json'),
    async [Symbol.asyncDispose]() {
      try {
        const registry = await home.registry();
        for (const record of Object.values(registry.instances)) {
          if (record.process) killGroup(record.process.pid);
        }
      } catch {
        // No registry (nothing created) or a test corrupted it on purpose: nothing was started.
      }
      await dir.remove();
    },
  };
  return home;
}

/** SIGKILLs a process group, ignoring one that is already gone. */
export function killGroup(pgid: number): void {
  // A test may plant pid 0 or 1 in state: kill(-0) would hit the test runner's own group.
  if (!Number.isInteger(pgid) || pgid <= 1) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/** Live processes that descend from `pid` (itself included), from /proc: host pids, also inside a sandbox. */
export async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parents.set(Number(entry), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  const out = parents.has(pid) ? [pid] : [];
  for (let i = 0; i < out.length; i += 1) {
    for (const [child, parent] of parents) if (parent === out[i]) out.push(child);
  }
  return out;
}

/** Whether `pid` is a live process (a zombie counts as dead: it has exited). */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Waits for a file the fake Claude writes once it is ready. Polls: the writer is another process with
 * no channel to us but the file system. The deadline only bounds a failure.
 */
export async function waitForJson<T>(file: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as T;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${file} did not appear within ${timeoutMs} ms: ${error}`);
      await sleep(25);
    }
  }
}

/** What the fake Claude wrote about itself. */
export interface FakeClaudeReport {
  pid: number;
  childPid: number;
  listening: number | null;
  /** The arguments it was started with (what cmgr added after the command). */
  args: string[];
  env: Record<string, string>;
  uid: number;
  /** The user name its uid has in the /etc/passwd it sees. */
  user: string;
  cwd: string;
  /** What /tmp and /home hold, as it sees them (or the error code). */
  tmp: string[] | string;
  homes: string[] | string;
  wroteHome: string;
  wroteTmp: string | null;
  reads: Record<string, string>;
  writes: Record<string, string>;
}

export function readFakeClaude(home: CmgrHome, name: string): Promise<FakeClaudeReport> {
  return waitForJson<FakeClaudeReport>(join(home.sandbox(name), 'fake-claude.json'));
}

/**
 * A base port in a high area where the first slots' tool ports (+10..+90 of three ranges) are free right
 * now, so tests that bind do not meet whatever uses 9000 on this machine or another test's ports; below
 * the ephemeral ports, so no outgoing connection takes one mid-test.
 */
export async function freeBase(slots = 3): Promise<number> {
  const areas = Math.max(1, Math.floor((firstEphemeralPort() - 20_000) / 100) - slots);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + 100 * Math.floor(Math.random() * areas);
    const ports = [];
    for (let slot = 0; slot < slots; slot += 1)
      for (let o = 10; o < 100; o += 10) ports.push(base + slot * 100 + o);
    const used = await Promise.all(ports.map((port) => isPortInUse(port)));
    if (!used.some(Boolean)) return base;
  }
  throw new Error('no free port area found');
}

/** Every file and directory below `root` with its type, mode and content: compare two to prove nothing changed. */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch {
      return;
    }
    for (const entry of entries.sort()) {
      const path = join(dir, entry);
      const stats = await lstat(path);
      const key = path.slice(root.length);
      const mode = (stats.mode & 0o7777).toString(8);
      if (stats.isSymbolicLink()) out[key] = `link ${await readlink(path)}`;
      else if (stats.isDirectory()) {
        out[key] = `dir ${mode}`;
        await walk(path);
      } else out[key] = `file ${mode} ${stats.mtimeMs} ${await readFile(path, 'utf8')}`;
    }
  }
  await walk(root);
  return out;
}

/** A user config with a known tool, another server with its own env, and a top-level key of the user's. */
export const USER_CONFIG = {
  globalShortcut: 'Ctrl+Space',
  mcpServers: {
    filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
    'my-db': { command: 'my-db-mcp', args: ['--verbose'], env: { TOKEN: 'secret' } },
  },
};

/**
 * A home whose user config has a filesystem server, with ranges in a free high area and the fake Claude,
 * started without a sandbox (`"sandbox": "none"` in config.json): what cmgr did before bubblewrap, and
 * what `--sandbox none` keeps. The sandbox has test/sandbox.test.ts.
 */
export async function unsandboxedHome(): Promise<{ home: CmgrHome; base: number }> {
  const base = await freeBase();
  const home = await createCmgrHome({ MCP_BASE_PORT: String(base), CMGR_CLAUDE_COMMAND: fakeClaudeCommand });
  await mkdir(home.cmgrHome, { recursive: true });
  await writeFile(join(home.cmgrHome, 'config.json'), JSON.stringify({ sandbox: 'none' }));
  const dir = join(home.path, '.config', 'Claude');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'claude_desktop_config.json'), JSON.stringify(USER_CONFIG));
  return { home, base };
}
