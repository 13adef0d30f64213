import { type Context, fromConfigError } from '../context.js';
import { usageError } from '../errors.js';
import { ensureRealDir, writeFileAtomic } from '../files.js';
import {
  applyInstancePorts,
  checkSandbox,
  configText,
  loadConfigModule,
  rangeOf,
  readSandboxConfig,
  recordTools,
  withoutPorts,
} from '../instance.js';
import { print } from '../output.js';
import { checkInstanceName, sandboxPaths } from '../paths.js';
import { getInstance, type InstanceRecord, updateState, withInstance } from '../state.js';

/** `cmgr mcp <instance> --ports | --reset-ports`: everything else in the config is kept. */
export async function mcp({ instance, flags, paths }: Context): Promise<number> {
  const name = checkInstanceName(instance ?? '');
  const apply = flags.ports === true;
  if (apply === (flags['reset-ports'] === true)) {
    throw usageError(`'cmgr mcp' needs exactly one of --ports or --reset-ports; see 'cmgr mcp --help'`);
  }
  const cfg = await loadConfigModule();
  const record = await updateState(paths, async (state) => {
    const current = getInstance(state, name);
    await checkSandbox(current);
    const files = sandboxPaths(current.sandbox);
    const { text, config } = await readSandboxConfig(cfg, files.claudeConfig);
    let next: InstanceRecord;
    let updated: string;
    try {
      const clean = withoutPorts(cfg, config, current, paths.registry);
      if (apply) {
        const applied = applyInstancePorts(cfg, clean, current);
        updated = configText(applied.config);
        next = {
          ...current,
          ports: true,
          offsets: { ...current.offsets, ...applied.plan.offsets },
          tools: recordTools(applied.plan.ports),
          portsRecord: applied.record,
        };
      } else {
        // The slot and the offsets stay recorded, so a later --ports gives back the same ports.
        updated = configText(clean);
        const { portsRecord: _undone, ...rest } = current;
        next = { ...rest, ports: false, tools: [] };
      }
    } catch (error) {
      throw fromConfigError(error, files.claudeConfig);
    }
    if (updated !== text && !(text === undefined && !apply)) {
      await ensureRealDir(files.claudeDir, files.root);
      await writeFileAtomic(files.claudeConfig, updated);
    }
    return { state: { ...state, registry: withInstance(state.registry, name, next) }, result: next };
  });
  const range = rangeOf(record);
  print(
    apply
      ? `ports of '${name}' applied: ${range.start}-${range.end}, ${record.tools.length} server(s)`
      : `ports of '${name}' reset; ${range.start}-${range.end} stays reserved, and ports stay off until 'cmgr mcp ${name} --ports'`,
  );
  return 0;
}
