import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Context } from '../context.js';
import { CmgrError } from '../errors.js';
import { claudeCommand } from '../launch.js';
import { paint, print, table } from '../output.js';
import { holderText, portStates } from '../port-state.js';
import { bwrapMessage, isNamespaceFailure } from '../sandbox/failure.js';
import { findOnPath, INSTALL_BWRAP, requestedMode, type SandboxMode } from '../sandbox/mode.js';
import { readSettings, type Settings } from '../settings.js';
import { readState, type State } from '../state.js';

/** How a finding bears on `cmgr start`: fine, worth knowing, or in the way (exit 1). */
export type Severity = 'ok' | 'warn' | 'fail';

/** One check of `cmgr doctor`, with what to do about it. */
export interface Finding {
  readonly check: string;
  readonly status: Severity;
  readonly detail: string;
  /** What to do; empty when nothing needs doing. */
  readonly fix: string;
}

const sysctl = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** Whether bwrap runs here, and if not bwrap's reason. */
function tryBwrap(bwrap: string): { ok: boolean; output: string } {
  const run = spawnSync(
    bwrap,
    ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', 'true'],
    {
      encoding: 'utf8',
      timeout: 15_000,
    },
  );
  return { ok: run.status === 0, output: `${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

const USERNS_FIX =
  "allow unprivileged user namespaces: 'sudo sysctl -w kernel.unprivileged_userns_clone=1' (Debian), " +
  "'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0' or an AppArmor profile for bwrap (Ubuntu 24.04 and later), " +
  'or raise user.max_user_namespaces';

function sandboxFindings(mode: SandboxMode, bwrap: string | undefined): Finding[] {
  const needed = mode !== 'none';
  const blocking: Severity = mode === 'bwrap' ? 'fail' : 'warn';
  if (!needed) {
    return [{ check: 'bubblewrap', status: 'ok', detail: 'not used: the sandbox mode is none', fix: '' }];
  }
  if (bwrap === undefined) {
    return [
      {
        check: 'bubblewrap',
        status: blocking,
        detail: `'bwrap' is not on PATH${mode === 'auto' ? ': instances start without a sandbox' : ''}`,
        fix: INSTALL_BWRAP,
      },
    ];
  }
  const findings: Finding[] = [];
  const restricted = sysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1';
  const cloneOff = sysctl('/proc/sys/kernel/unprivileged_userns_clone') === '0';
  const maxZero = sysctl('/proc/sys/user/max_user_namespaces') === '0';
  const run = tryBwrap(bwrap);
  findings.push(
    run.ok
      ? { check: 'bubblewrap', status: 'ok', detail: `${bwrap} creates a sandbox`, fix: '' }
      : {
          check: 'bubblewrap',
          status: 'fail',
          detail: `${bwrap} cannot create a sandbox: ${bwrapMessage(run.output)}`,
          fix: isNamespaceFailure(run.output)
            ? USERNS_FIX
            : "fix what bwrap names, or start with '--sandbox none'",
        },
  );
  const why = [
    restricted &&
      'AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1, Ubuntu 24.04)',
    cloneOff && 'kernel.unprivileged_userns_clone=0',
    maxZero && 'user.max_user_namespaces=0',
  ].filter(Boolean);
  findings.push(
    why.length === 0
      ? { check: 'user namespaces', status: 'ok', detail: 'available to unprivileged users', fix: '' }
      : {
          check: 'user namespaces',
          // bwrap working despite it (root, or an AppArmor profile for bwrap) means it does not block start.
          status: run.ok ? 'warn' : 'fail',
          detail: `${why.join('; ')}${run.ok ? '; bwrap works here regardless (root, setuid or a profile)' : ''}`,
          fix: USERNS_FIX,
        },
  );
  return findings;
}

async function claudeFinding(context: Context, settings: Settings): Promise<Finding> {
  try {
    const found = await claudeCommand(context.paths, context.env, settings);
    return { check: 'Claude Desktop', status: 'ok', detail: `${found.path} (from ${found.source})`, fix: '' };
  } catch (error) {
    if (!(error instanceof CmgrError)) throw error;
    const [detail, ...fix] = error.message.split('; ');
    return { check: 'Claude Desktop', status: 'fail', detail: detail!, fix: fix.join('; ') };
  }
}

function displayFinding(env: NodeJS.ProcessEnv): Finding {
  const found: string[] = [];
  const missing: string[] = [];
  const runtime = env.XDG_RUNTIME_DIR && isAbsolute(env.XDG_RUNTIME_DIR) ? env.XDG_RUNTIME_DIR : undefined;
  if (env.WAYLAND_DISPLAY) {
    const socket = isAbsolute(env.WAYLAND_DISPLAY)
      ? env.WAYLAND_DISPLAY
      : runtime && join(runtime, env.WAYLAND_DISPLAY);
    (socket && existsSync(socket) ? found : missing).push(`Wayland ${socket ?? env.WAYLAND_DISPLAY}`);
  }
  const x = /^[^:]*:(\d+)/.exec(env.DISPLAY ?? '');
  if (x) {
    const socket = `/tmp/.X11-unix/X${x[1]}`;
    (existsSync(socket) ? found : missing).push(`X11 ${socket}`);
  }
  if (found.length === 0 && missing.length === 0) {
    return {
      check: 'display',
      status: 'warn',
      detail: 'neither DISPLAY nor WAYLAND_DISPLAY is set: Claude Desktop has no screen to open on',
      fix: 'run cmgr from your desktop session (or set DISPLAY / WAYLAND_DISPLAY and XDG_RUNTIME_DIR)',
    };
  }
  return {
    check: 'display',
    status: missing.length === 0 ? 'ok' : found.length > 0 ? 'warn' : 'fail',
    detail: [...found.map((f) => `${f} present`), ...missing.map((m) => `${m} missing`)].join('; '),
    fix:
      missing.length === 0
        ? ''
        : 'start cmgr from the session that owns the display, or fix DISPLAY / WAYLAND_DISPLAY',
  };
}

async function stateFindings(context: Context): Promise<{ findings: Finding[]; state?: State }> {
  try {
    const state = await readState(context.paths);
    const count = Object.keys(state.registry.instances).length;
    return {
      findings: [
        {
          check: 'state files',
          status: 'ok',
          detail: `${context.paths.registry}: ${count} instance(s)`,
          fix: '',
        },
      ],
      state,
    };
  } catch (error) {
    if (!(error instanceof CmgrError)) throw error;
    const [detail, ...fix] = error.message.split('; ');
    return { findings: [{ check: 'state files', status: 'fail', detail: detail!, fix: fix.join('; ') }] };
  }
}

async function portFindings(state: State): Promise<Finding[]> {
  const records = Object.values(state.registry.instances).sort((a, b) => a.base - b.base);
  const states = await portStates(
    records.map((record) => ({ record, ports: record.ports ? record.tools.map((t) => t.port) : [] })),
  );
  return records.map((record) => {
    const findings = states.get(record)!;
    const held = (record.ports ? record.tools : []).filter(
      (tool) => findings.get(tool.port)?.state === 'conflict',
    );
    if (held.length === 0) {
      return {
        check: `ports of '${record.name}'`,
        status: 'ok',
        detail: `${record.tools.length} tool port(s), none held by another process`,
        fix: '',
      };
    }
    return {
      check: `ports of '${record.name}'`,
      status: 'warn',
      detail: held
        .map(
          (tool) => `${tool.port} (${tool.server}) held by ${holderText(findings.get(tool.port)!.holders)}`,
        )
        .join('; '),
      fix: `stop the holder, or 'cmgr stop ${record.name}' then 'cmgr move ${record.name}'`,
    };
  });
}

/** `cmgr doctor [--json]`: what stands between this machine and `cmgr start`; exit 1 when something blocks it. */
export async function doctor(context: Context): Promise<number> {
  const { flags, paths, env, color } = context;
  const findings: Finding[] = [];
  let settings: Settings = {};
  try {
    settings = await readSettings(paths);
  } catch (error) {
    if (!(error instanceof CmgrError)) throw error;
    findings.push({
      check: 'config.json',
      status: 'fail',
      detail: error.message.replace(/; fix it$/, ''),
      fix: `fix ${paths.config}`,
    });
  }
  let mode: SandboxMode = 'auto';
  try {
    mode = requestedMode(undefined, settings, paths);
  } catch (error) {
    if (!(error instanceof CmgrError)) throw error;
    findings.push({
      check: 'config.json',
      status: 'fail',
      detail: error.message.replace(/; fix it$/, ''),
      fix: `fix ${paths.config}`,
    });
  }
  findings.push(...sandboxFindings(mode, await findOnPath('bwrap', env.PATH ?? '')));
  findings.push(await claudeFinding(context, settings));
  findings.push(displayFinding(env));
  const state = await stateFindings(context);
  findings.push(...state.findings);
  if (state.state) findings.push(...(await portFindings(state.state)));
  const blocked = findings.some((finding) => finding.status === 'fail');
  if (flags.json) {
    print(JSON.stringify({ ok: !blocked, findings }, null, 2));
  } else {
    const p = paint(color);
    const mark = (status: Severity): string =>
      status === 'ok' ? p.green('ok') : status === 'warn' ? 'warn' : p.red('FAIL');
    print(
      table(
        ['CHECK', 'STATUS', 'DETAIL', 'FIX'],
        findings.map((f) => [f.check, mark(f.status), f.detail, f.fix]),
        p,
      ),
    );
  }
  return blocked ? 1 : 0;
}
