import type { Context } from '../context.js';
import { fromConfigError } from '../context.js';
import { environmentOf, hostUser, passedVariables } from '../environment.js';
import { CmgrError } from '../errors.js';
import { ensureRealDir, writeFileAtomic } from '../files.js';
import {
  applyInstancePorts,
  checkSandbox,
  loadConfigModule,
  readSandboxConfig,
  withoutPorts,
} from '../instance.js';
import { claudeCommand, launchDetached } from '../launch.js';
import { note, print } from '../output.js';
import { checkInstanceName, sandboxPaths } from '../paths.js';
import { heldPortsLine } from '../ports-held.js';
import { isRunning, procStat } from '../proc.js';
import { launchSandboxed } from '../sandbox/launch.js';
import { SANDBOX_HOME, SANDBOX_USER } from '../sandbox/layout.js';
import { chooseSandbox, requestedMode, type SandboxChoice } from '../sandbox/mode.js';
import { readSettings } from '../settings.js';
import { getInstance, type InstanceRecord, updateState, withInstance } from '../state.js';

/** `cmgr start <instance> [--sandbox auto|bwrap|none] [--pass-env NAME[=VALUE]]... [--json]`. */
export async function start(context: Context): Promise<number> {
  const name = checkInstanceName(context.instance ?? '');
  const { handedOver: _, ...started } = await startInstance(context, name);
  if (context.flags.json) print(JSON.stringify({ name, ...started }, null, 2));
  else
    print(
      `started '${name}' (pid ${started.pid}, ${started.sandbox === 'bwrap' ? 'in bubblewrap' : 'no sandbox'}); output in ${started.log}`,
    );
  return 0;
}

/** What {@link startInstance} did. */
export interface Started {
  readonly pid: number;
  readonly sandbox: 'bwrap' | 'none';
  readonly log: string;
  /** The Claude Desktop executable that was found. */
  readonly command: string;
  /** True when a URL was handed to the running instance (nothing recorded) rather than starting it. */
  readonly handedOver: boolean;
}

/**
 * Starts instance `name` (see `cmgr start --help`). With `url` the URL is Claude Desktop's last argument;
 * when the instance is running, its Claude Desktop is launched once more, in the same kind of sandbox with
 * the same home, `/tmp` and environment, so Electron's single-instance lock (a socket in `/tmp` named in
 * the profile) hands the URL to the running app; nothing is recorded then.
 */
export async function startInstance(
  { flags, env, paths }: Pick<Context, 'flags' | 'env' | 'paths'>,
  name: string,
  url?: string,
): Promise<Started> {
  const settings = await readSettings(paths);
  const mode = requestedMode(flags.sandbox, settings, paths);
  const configModule = await loadConfigModule();
  const pass = passedVariables(configModule, name, settings, flags['pass-env'], paths);

  return updateState<Started>(paths, async (state) => {
    // An unknown instance is the first thing to report, before any question about how to launch.
    const record = getInstance(state, name);
    const found = await claudeCommand(paths, env, settings);
    const running = await isRunning(record.process);
    if (running && url === undefined) {
      throw new CmgrError(
        'ERUNNING',
        `instance '${name}' is already running (pid ${record.process!.pid}); 'cmgr stop ${name}' first`,
      );
    }
    // Before anything is written: a required sandbox that cannot be had starts nothing.
    const asked = flags.sandbox === undefined ? `"sandbox": "bwrap" in ${paths.config}` : undefined;
    // A running instance gets the URL in the kind of sandbox it runs in.
    const choice: SandboxChoice = running
      ? record.process!.sandbox === 'bwrap'
        ? await chooseSandbox('bwrap', name, env, `handing a link to the running sandbox of '${name}'`)
        : { sandbox: 'none' }
      : await chooseSandbox(mode, name, env, asked);
    await checkSandbox(record);
    const files = sandboxPaths(record.sandbox);
    const { text, config } = await readSandboxConfig(configModule, files.claudeConfig);

    let portEnv: Record<string, string> = { CLAUDE_INSTANCE: name };
    let next: InstanceRecord = record;
    if (record.ports) {
      // Re-apply so servers added to the config since get their ports; recorded offsets never move.
      try {
        const applied = applyInstancePorts(
          configModule,
          withoutPorts(configModule, config, record, paths.registry),
          record,
        );
        const instancePorts = { name, base: record.base, size: record.size, offsets: applied.plan.offsets };
        // Before writing: a variable collision must leave the file as it was.
        portEnv = configModule.toolPortEnv(applied.config, instancePorts);
        const updated = applied.text;
        if (updated !== text && !running) {
          await ensureRealDir(files.claudeDir, files.root);
          await writeFileAtomic(files.claudeConfig, updated);
        }
        next = { ...record, ...applied.fields };
      } catch (error) {
        throw fromConfigError(error, files.claudeConfig);
      }
    }

    const sandboxed = choice.bwrap !== undefined;
    const who = sandboxed
      ? { home: SANDBOX_HOME, user: SANDBOX_USER }
      : { home: record.sandbox, user: hostUser(env) };
    const childEnv = environmentOf(configModule, env, pass, who, portEnv);
    const argv = [
      ...found.argv,
      ...configModule.launchFlags({
        bubblewrap: sandboxed,
        noSandbox: settings.noSandbox,
        session: env,
        windowClass: configModule.windowClass(name),
      }),
      ...(url === undefined ? [] : [url]),
    ];

    if (!running) {
      // The instance is stopped, so whatever holds one of its ports is someone else.
      const held = await heldPortsLine(name, next.ports ? next.tools : []);
      if (held) note(held);
    }
    await ensureRealDir(files.cmgrDir, files.root);
    if (choice.warning) note(choice.warning);
    const child =
      choice.bwrap === undefined
        ? await launchDetached(argv, childEnv, record.sandbox, files.log)
        : await launchSandboxed({
            name,
            argv,
            env: childEnv,
            bwrap: choice.bwrap,
            shares: record.shares ?? [],
            files,
            userHome: paths.userHome,
            freshTmp: !running,
          });
    const pid = child.pid!;
    const outcome = { pid, sandbox: choice.sandbox, log: files.log, command: found.path };
    if (running) return { result: { ...outcome, handedOver: true } };
    const stat = await procStat(pid);
    if (stat === undefined || stat.state === 'Z') {
      throw new CmgrError('EFAILED', `Claude Desktop for '${name}' exited at once; see ${files.log}`);
    }
    next = {
      ...next,
      process: { pid, startTime: stat.startTime, started: new Date().toISOString(), sandbox: choice.sandbox },
    };
    return {
      state: { ...state, registry: withInstance(state.registry, name, next) },
      result: { ...outcome, handedOver: false },
    };
  });
}
