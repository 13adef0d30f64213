import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processStartTime } from '@ports/lock';
import { fixtureEnv, needsProc, procMounted, type StagedFixture, stageFixture } from '@ports/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/process-gone.ts', import.meta.url));
const NOBODY = 65534;

/**
 * Runs the fixture as user `nobody` in a mount namespace of its own, where /proc is mounted with
 * `hidepid=2`: other users' processes are invisible there. Needs root and util-linux's unshare and
 * setpriv; `null` when this machine cannot do that.
 */
function processGoneSeenByNobodyUnderHidepid(
  staged: StagedFixture,
  pid: number,
  startTime: number,
): string | null {
  if (process.getuid?.() !== 0) return null;
  const node = [process.execPath, staged.script, String(pid), String(startTime)]
    .map((word) => `'${word}'`)
    .join(' ');
  const script = `mount -t proc -o hidepid=2 proc /proc && exec setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups ${node}`;
  const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
    env: fixtureEnv({ HOME: '/tmp' }),
    cwd: staged.dir,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim();
}

/** Whether this machine can run the above at all: /proc, root, a mount namespace, hidepid, setpriv. */
const canUnshare =
  procMounted &&
  process.getuid?.() === 0 &&
  spawnSync('unshare', [
    '--mount',
    '--propagation',
    'private',
    'sh',
    '-c',
    `mount -t proc -o hidepid=2 proc /proc && exec setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups true`,
  ]).status === 0;

describe('another user’s process where /proc hides it (hidepid=2)', () => {
  // Nobody cannot reach a checkout under a 0700 folder (a clone under `mktemp -d`): run a bundled copy.
  let staged: StagedFixture | undefined;
  beforeAll(async () => {
    if (canUnshare) staged = await stageFixture(fixture);
  });
  afterAll(async () => {
    await staged?.[Symbol.asyncDispose]();
  });

  it('counts as running while its pid exists, and as exited once it is gone', async (context) => {
    if (!procMounted) context.skip(needsProc('hidepid is a mount option of /proc'));
    const missing = 'needs root, unshare, setpriv and a /proc mount with hidepid=2';
    if (!canUnshare && process.env.CI === 'true') throw new Error(`${missing}: CI must run it`);
    if (!canUnshare) context.skip(missing);
    const fixtureCopy = staged as StagedFixture;
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const startTime = processStartTime(pid) as number;
    try {
      // Root's process, asked about by nobody, who gets EPERM from kill(pid, 0) and no /proc/<pid>.
      expect(processGoneSeenByNobodyUnderHidepid(fixtureCopy, pid, startTime)).toBe('false hidden');
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(processGoneSeenByNobodyUnderHidepid(fixtureCopy, pid, startTime)).toBe('"exited" hidden');
  });
});
