import type { Context } from '../context.js';
import { fromConfigError } from '../context.js';
import { CmgrError } from '../errors.js';
import { ensureRealDir, writeFileAtomic } from '../files.js';
import {
  applyInstancePorts,
  checkSandbox,
  configText,
  loadConfigModule,
  readSandboxConfig,
  recordTools,
  withoutPorts,
} from '../instance.js';
import { claudeCommand, launchDetached } from '../launch.js';
import { note, print } from '../output.js';
import { checkInstanceName, sandboxPaths } from '../paths.js';
import { isRunning, procStat } from '../proc.js';
import { launchSandboxed } from '../sandbox/launch.js';
import { chooseSandbox, requestedMode } from '../sandbox/mode.js';
import { readSettings } from '../settings.js';
import { getInstance, type InstanceRecord, updateState, withInstance } from '../state.js';

/** `cmgr start <instance> [--sandbox auto|bwrap|none] [--json]`. */
export async function start({ instance, flags, env, paths }: Context): Promise<number> {
  const name = checkInstanceName(instance ?? '');
  const settings = await readSettings(paths);
  const mode = requestedMode(flags.sandbox, settings, paths);
  const cfg = await loadConfigModule();

  const started = await updateState(paths, async (state) => {
    // An unknown instance is the first thing to report, before any question about how to launch.
    const record = getInstance(state, name);
    const words = await claudeCommand(paths, env, settings);
    if (await isRunning(record.process)) {
      throw new CmgrError(
        'ERUNNING',
        `instance '${name}' is already running (pid ${record.process!.pid}); 'cmgr stop ${name}' first`,
      );
    }
    // Before anything is written: a required sandbox that cannot be had starts nothing.
    const asked = flags.sandbox === undefined ? `"sandbox": "bwrap" in ${paths.config}` : undefined;
    const choice = await chooseSandbox(mode, name, env, asked);
    await checkSandbox(record);
    const files = sandboxPaths(record.sandbox);
    const { text, config } = await readSandboxConfig(cfg, files.claudeConfig);

    const childEnv: NodeJS.ProcessEnv = { ...env };
    const toolVars = [...cfg.KNOWN_TOOLS.map((tool) => cfg.toolEnvName(tool.name))];
    for (const server of Object.keys(config.mcpServers ?? {})) toolVars.push(cfg.toolEnvName(server));
    for (const key of [...cfg.SERVER_ENV_KEYS, ...toolVars]) delete childEnv[key];
    childEnv.HOME = record.sandbox;
    childEnv.CLAUDE_INSTANCE = name;

    let next: InstanceRecord = record;
    if (record.ports) {
      // Re-apply so servers added to the config since get their ports; recorded offsets never move.
      try {
        const applied = applyInstancePorts(cfg, withoutPorts(cfg, config, record, paths.registry), record);
        const instancePorts = { name, base: record.base, size: record.size, offsets: applied.plan.offsets };
        // Before writing: a variable collision must leave the file as it was.
        Object.assign(childEnv, cfg.toolPortEnv(applied.config, instancePorts));
        const updated = configText(applied.config);
        if (updated !== text) {
          await ensureRealDir(files.claudeDir, files.root);
          await writeFileAtomic(files.claudeConfig, updated);
        }
        next = {
          ...record,
          offsets: { ...record.offsets, ...applied.plan.offsets },
          tools: recordTools(applied.plan.ports),
          portsRecord: applied.record,
        };
      } catch (error) {
        throw fromConfigError(error, files.claudeConfig);
      }
    }

    await ensureRealDir(files.cmgrDir, files.root);
    if (choice.warning) note(choice.warning);
    const child =
      choice.bwrap === undefined
        ? await launchDetached(words, childEnv, record.sandbox, files.log)
        : await launchSandboxed({
            name,
            words,
            env: childEnv,
            bwrap: choice.bwrap,
            shares: record.shares ?? [],
            files,
            userHome: paths.userHome,
          });
    const pid = child.pid!;
    const stat = await procStat(pid);
    if (stat === undefined || stat.state === 'Z') {
      throw new CmgrError('EFAILED', `Claude Desktop for '${name}' exited at once; see ${files.log}`);
    }
    const { sandbox } = choice;
    next = {
      ...next,
      process: { pid, startTime: stat.startTime, started: new Date().toISOString(), sandbox },
    };
    return {
      state: { ...state, registry: withInstance(state.registry, name, next) },
      result: { pid, sandbox, log: files.log },
    };
  });

  if (flags.json) print(JSON.stringify({ name, ...started }, null, 2));
  else
    print(
      `started '${name}' (pid ${started.pid}, ${started.sandbox === 'bwrap' ? 'in bubblewrap' : 'no sandbox'}); output in ${started.log}`,
    );
  return 0;
}
