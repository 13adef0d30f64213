import { type ChildProcess, spawn } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { open, readFile, realpath, rm, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CmgrError } from '../errors.js';
import { ensureRealDir, writeFileAtomic } from '../files.js';
import { note } from '../output.js';
import type { sandboxPaths } from '../paths.js';
import type { SharedFolder } from '../state.js';
import { desktopCandidates } from './desktop.js';
import { sandboxFailureLine } from './failure.js';
import {
  bwrapArgs,
  hiddenPaths,
  type SandboxLayout,
  shareProblem,
  shareTarget,
  xauthorityPaths,
} from './layout.js';
import { sandboxPasswd } from './passwd.js';

/** What {@link launchSandboxed} needs. */
export interface SandboxedLaunch {
  readonly name: string;
  /** The Claude Desktop command line (program and arguments), run inside as it is. */
  readonly argv: readonly string[];
  /**
   * The instance's whole environment, already as seen inside (HOME=/home/claude); only `XAUTHORITY` is
   * adjusted here, to the copy of the X authority file.
   */
  readonly env: Readonly<Record<string, string>>;
  /** bwrap's path. */
  readonly bwrap: string;
  readonly shares: readonly SharedFolder[];
  readonly files: ReturnType<typeof sandboxPaths>;
  /** The caller's home as cmgr sees it (`HOME`), hidden inside along with the passwd one. */
  readonly userHome: string;
  /**
   * Whether the instance's `/tmp` (`<sandbox>/.cmgr/tmp`) starts empty: true for `start`, false for a
   * second launch into the running instance, which must share it.
   */
  readonly freshTmp: boolean;
}

/** Runs bwrap (`$0`) as a child rather than exec'ing it, and exits with its status. */
export const KEEPER = '"$0" "$@"; exit $?';

/** How long bwrap may take to set the sandbox up; only bounds a hang, a normal start takes milliseconds. */
const READY_TIMEOUT_MS = 30_000;
/** How long to wait for a failed bwrap to exit once it said why. */
const EXIT_TIMEOUT_MS = 5_000;

/**
 * Shared folders that still exist as folders, each at the path to bind it at (see {@link shareTarget});
 * each one that does not exist, or now leads somewhere that may not be shared, is one warning, and skipped.
 */
async function existingShares(
  name: string,
  shares: readonly SharedFolder[],
  hide: readonly string[],
): Promise<SharedFolder[]> {
  const out: SharedFolder[] = [];
  const skipped = (path: string, why: string): void =>
    note(`shared folder ${path} of '${name}' ${why}; skipped ('cmgr unshare ${name} ${path}' forgets it)`);
  for (const share of shares) {
    const found = await stat(share.path).catch(() => undefined);
    const real = found?.isDirectory() ? await realpath(share.path).catch(() => undefined) : undefined;
    if (real === undefined) {
      skipped(share.path, 'no longer exists (or is not a folder)');
      continue;
    }
    const problem = real === share.path ? undefined : shareProblem(real);
    if (problem) {
      skipped(share.path, `now leads to ${real} (${problem})`);
      continue;
    }
    out.push({ ...share, path: shareTarget(share.path, real, hide) });
  }
  return out;
}

function homesToHide(userHome: string): string[] {
  const homes = [userHome];
  try {
    homes.push(userInfo().homedir);
  } catch {
    // No passwd entry for this uid: HOME is all there is.
  }
  return homes;
}

/**
 * Writes the generated passwd and, when X11 is in use, a copy of the X authority file into the
 * sandbox's `.cmgr/`, and returns the environment the instance gets inside.
 */
async function prepare(launch: SandboxedLaunch): Promise<Record<string, string>> {
  const env: Record<string, string> = { ...launch.env };
  // The host's X authority file is hidden inside: the copy replaces it.
  delete env.XAUTHORITY;
  const hostPasswd = await readFile('/etc/passwd', 'utf8').catch(() => undefined);
  const { uid, gid } = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  await writeFileAtomic(`${launch.files.cmgrDir}/passwd`, sandboxPasswd(hostPasswd, uid, gid));
  if (launch.env.DISPLAY) {
    const source = launch.env.XAUTHORITY || `${launch.userHome}/.Xauthority`;
    const cookie = await readFile(source).catch(() => undefined);
    if (cookie !== undefined) {
      const copy = xauthorityPaths(launch.files.root);
      await writeFileAtomic(copy.host, cookie);
      env.XAUTHORITY = copy.inside;
    }
  }
  return env;
}

/**
 * The instance's `/tmp` folder on the host, a real directory inside the sandbox's `.cmgr/`; emptied for a
 * fresh start (`rm` never follows a symlink the instance may have left in it).
 */
async function instanceTmp(launch: SandboxedLaunch): Promise<string> {
  const tmp = join(launch.files.cmgrDir, 'tmp');
  if (launch.freshTmp) await rm(tmp, { recursive: true, force: true });
  await ensureRealDir(tmp, launch.files.root);
  return tmp;
}

/** The layout of this instance's sandbox, from what exists on the host right now. */
async function layoutOf(launch: SandboxedLaunch): Promise<SandboxLayout> {
  const runtime = launch.env.XDG_RUNTIME_DIR?.startsWith('/') ? launch.env.XDG_RUNTIME_DIR : undefined;
  const hide = hiddenPaths(homesToHide(launch.userHome), runtime, existsSync);
  return {
    sandbox: launch.files.root,
    passwd: `${launch.files.cmgrDir}/passwd`,
    hide,
    tmp: await instanceTmp(launch),
    binds: desktopCandidates(launch.env).filter((bind) => existsSync(bind.path)),
    shares: await existingShares(launch.name, launch.shares, hide),
  };
}

type Outcome =
  | { readonly kind: 'ready' | 'missing' | 'timeout' }
  | { readonly kind: 'exit'; readonly code: number | null };

/** Waits for the shim's word on fd 3, for bwrap to exit, or for the bound, whichever comes first. */
function waitForReady(child: ChildProcess, pipe: Readable): Promise<Outcome> {
  return new Promise((resolve) => {
    let said = '';
    let exited: number | null | undefined;
    const finish = (outcome: Outcome): void => {
      clearTimeout(timer);
      resolve(outcome);
    };
    // unref: a spawn that failed must not keep cmgr waiting for it; the child and pipe keep it alive.
    const timer = setTimeout(() => finish({ kind: 'timeout' }), READY_TIMEOUT_MS).unref();
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      said += chunk;
      if (said.includes('ready')) finish({ kind: 'ready' });
      else if (said.includes('missing')) finish({ kind: 'missing' });
    });
    pipe.on('error', () => {});
    // The word may still be in the pipe when the exit is seen: decide once the pipe is drained.
    pipe.on('close', () => {
      if (exited !== undefined) finish({ kind: 'exit', code: exited });
    });
    child.once('exit', (code) => {
      exited = code;
      if (pipe.closed || pipe.destroyed) finish({ kind: 'exit', code });
    });
  });
}

async function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const bound = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), EXIT_TIMEOUT_MS).unref());
  if ((await Promise.race([exited, bound])) === 'late') {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    await exited;
  }
}

/** What bwrap appended to the log since `offset` (its error lines are in there). */
async function logSince(log: string, offset: number): Promise<string> {
  const handle = await open(log, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Starts the Claude Desktop command inside bubblewrap, detached: a keeper shell leads a new process
 * group and runs bwrap, output appended to the sandbox's log. Resolves once the sandbox is set up and the command is about
 * to run; when bwrap cannot create the sandbox it has exited by then, and the error (`ESANDBOX`) is one
 * line with bwrap's reason and the ways out. Nothing is left running on any failure.
 */
export async function launchSandboxed(launch: SandboxedLaunch): Promise<ChildProcess> {
  const env = await prepare(launch);
  const args = bwrapArgs(await layoutOf(launch), launch.argv);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW;
  const handle = await open(launch.files.log, flags, 0o600);
  let child: ChildProcess;
  let offset: number;
  let outcome: Promise<Outcome>;
  try {
    offset = (await handle.stat()).size;
    // A keeper shell is the recorded process: bwrap runs with --die-with-parent, so whatever ends the
    // keeper (cmgr stop, a kill -9 of the recorded pid) ends bwrap and, through it, all inside.
    child = spawn('/bin/sh', ['-c', KEEPER, launch.bwrap, ...args], {
      cwd: launch.files.root,
      env,
      detached: true,
      stdio: ['ignore', handle.fd, handle.fd, 'pipe'],
    });
    // Listen before any await: a bwrap that fails at once may exit (and close the pipe) before the
    // next turn of the event loop, and an event nobody listened to is gone.
    outcome = waitForReady(child, child.stdio[3] as Readable);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) =>
        reject(
          new CmgrError('ESANDBOX', `could not run ${launch.bwrap}: ${error.message}`, { cause: error }),
        ),
      );
    });
  } finally {
    await handle.close();
  }
  const pipe = child.stdio[3] as Readable;
  const settled = await outcome;
  pipe.destroy();
  if (settled.kind === 'ready') {
    child.unref();
    return child;
  }
  if (settled.kind === 'timeout') {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  await waitForExit(child);
  if (settled.kind === 'missing') {
    throw new CmgrError(
      'ENOCOMMAND',
      `Claude Desktop command '${launch.argv[0]}' is not visible inside the sandbox of '${launch.name}' (the sandbox hides your home, /home and /tmp); install it elsewhere, share its folder ('cmgr share ${launch.name} <dir> --read-only'), or start with --sandbox none`,
    );
  }
  if (settled.kind === 'timeout') {
    throw new CmgrError(
      'ESANDBOX',
      `bubblewrap did not set up the sandbox of '${launch.name}' within ${READY_TIMEOUT_MS / 1000} s and was killed; see ${launch.files.log}, or start with --sandbox none`,
    );
  }
  const output = await logSince(launch.files.log, offset).catch(() => '');
  throw new CmgrError(
    'ESANDBOX',
    sandboxFailureLine(launch.name, output, settled.kind === 'exit' ? settled.code : null),
  );
}
