import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processStartTime } from '@ports/lock';
import { fixtureEnv, nodeArgsFor } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/process-gone.ts', import.meta.url));
const NOBODY = 65534;

/**
 * Runs the fixture as user `nobody` in a mount namespace of its own, where /proc is mounted with
 * `hidepid=2`: other users' processes are invisible there. Needs root and util-linux's unshare and
 * setpriv; `null` when this machine cannot do that.
 */
function processGoneSeenByNobodyUnderHidepid(pid: number, startTime: number): string | null {
  if (process.getuid?.() !== 0) return null;
  const node = [process.execPath, ...nodeArgsFor(fixture), String(pid), String(startTime)]
    .map((word) => `'${word}'`)
    .join(' ');
  const script = `mount -t proc -o hidepid=2 proc /proc && exec setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups ${node}`;
  const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
    env: fixtureEnv({ HOME: '/tmp' }),
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim();
}

/** Whether this machine can run the above at all: root, a mount namespace, hidepid, setpriv. */
const canUnshare =
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
  it.skipIf(!canUnshare)(
    'counts as running while its pid exists, and as exited once it is gone',
    async () => {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      const pid = child.pid as number;
      const startTime = processStartTime(pid) as number;
      try {
        // Root's process, asked about by nobody, who gets EPERM from kill(pid, 0) and no /proc/<pid>.
        expect(processGoneSeenByNobodyUnderHidepid(pid, startTime)).toBe('false hidden');
      } finally {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      expect(processGoneSeenByNobodyUnderHidepid(pid, startTime)).toBe('"exited" hidden');
    },
  );
});
