import type { ClaudeConfig } from '@ports/cmgr-config';
import { type Context, fromConfigError } from '../context.js';
import { CmgrError, usageError } from '../errors.js';
import { ensureRealDir, writeFileAtomic } from '../files.js';
import {
  applyInstancePorts,
  checkSandbox,
  configText,
  loadConfigModule,
  rangeOf,
  readSandboxConfig,
  withoutPorts,
} from '../instance.js';
import { paint, print, table } from '../output.js';
import { checkInstanceName, sandboxPaths } from '../paths.js';
import { holderText, portStates } from '../port-state.js';
import { getInstance, type InstanceRecord, readState, updateState, withInstance } from '../state.js';

type ConfigModule = Awaited<ReturnType<typeof loadConfigModule>>;

/**
 * `cmgr mcp <instance>` lists the servers; `add <name> [--offset N] -- <command> [args…]` and
 * `remove <name>` change them; `--ports` and `--reset-ports` apply or take out the port settings.
 */
export async function mcp(context: Context): Promise<number> {
  const { instance, flags, args } = context;
  const name = checkInstanceName(instance ?? '');
  const [action, server] = args;
  const portsFlag = flags.ports === true || flags['reset-ports'] === true;
  if (action === undefined && !portsFlag) return listServers(context, name);
  if (action !== undefined && portsFlag) {
    throw usageError(`'cmgr mcp ${action}' takes no --ports or --reset-ports; see 'cmgr mcp --help'`);
  }
  if (action === undefined) return applyOrReset(context, name);
  if (action !== 'add' && action !== 'remove') {
    throw usageError(
      `unknown action '${action}' for 'cmgr mcp'; use add, remove, or no action to list; see 'cmgr mcp --help'`,
    );
  }
  if (server === undefined || server === '')
    throw usageError(`'cmgr mcp ${name} ${action}' needs <name>, the server's key`);
  if (action === 'add') return addServer(context, name, server);
  if (context.rest.length > 0 || flags.offset !== undefined) {
    throw usageError(`'cmgr mcp ${name} remove' takes only <name>; see 'cmgr mcp --help'`);
  }
  return removeServer(context, name, server);
}

/** `cmgr mcp <instance>`: each server, its port and who holds that port. */
async function listServers({ paths, flags, color }: Context, name: string): Promise<number> {
  const state = await readState(paths);
  const record = getInstance(state, name);
  const configModule = await loadConfigModule();
  const files = sandboxPaths(record.sandbox);
  const { config } = await readSandboxConfig(configModule, files.claudeConfig);
  let clean: ClaudeConfig;
  let plan: ReturnType<ConfigModule['toolPorts']>;
  try {
    clean = withoutPorts(configModule, config, record, paths.registry);
    plan = configModule.toolPorts(clean, record);
  } catch (error) {
    throw fromConfigError(error, files.claudeConfig);
  }
  const ports = record.ports ? plan.ports.map((p) => p.port) : [];
  const findings = (await portStates([{ record, ports }])).get(record)!;
  const servers = plan.ports.map((entry) => {
    const finding = record.ports ? findings.get(entry.port) : undefined;
    const spec = clean.mcpServers?.[entry.server];
    return {
      server: entry.server,
      tool: entry.tool ?? null,
      command: spec?.command ?? null,
      args: spec?.args ?? [],
      offset: entry.offset,
      port: record.ports ? entry.port : null,
      env: entry.envName,
      state: finding?.state ?? null,
      holders: finding?.holders ?? [],
    };
  });
  if (flags.json) {
    print(JSON.stringify({ name, range: rangeOf(record), ports: record.ports, servers }, null, 2));
    return 0;
  }
  const p = paint(color);
  if (servers.length === 0) {
    print(`no MCP servers in '${name}'; add one with 'cmgr mcp ${name} add <name> -- <command> [args...]'`);
    return 0;
  }
  const rows = servers.map((s) => [
    s.server,
    s.port === null ? '-' : String(s.port),
    s.env,
    s.state === null
      ? p.dim('ports off')
      : s.state === 'free'
        ? 'free'
        : s.state === 'instance'
          ? p.green('instance')
          : p.red('CONFLICT'),
    holderText(s.holders),
    [s.command ?? '', ...s.args].join(' '),
  ]);
  print(table(['SERVER', 'PORT', 'ENV', 'STATE', 'HOLDER', 'COMMAND'], rows, p));
  return 0;
}

/** Writes `config` into the sandbox and `next` into the registry, or neither. */
async function saveServers(
  configModule: ConfigModule,
  current: InstanceRecord,
  clean: ClaudeConfig,
  file: string,
  text: string | undefined,
  offsets: Readonly<Record<string, number>>,
): Promise<InstanceRecord> {
  const files = sandboxPaths(current.sandbox);
  let next: InstanceRecord;
  let updated: string;
  try {
    if (current.ports) {
      const applied = applyInstancePorts(configModule, clean, { ...current, offsets });
      updated = applied.text;
      next = { ...current, ...applied.fields };
    } else {
      // Checked all the same: a server whose variable collides is refused before anything is written.
      configModule.toolPorts(clean, { ...current, offsets });
      updated = configText(clean);
      next = { ...current, offsets };
    }
  } catch (error) {
    throw fromConfigError(error, file);
  }
  if (updated !== text) {
    await ensureRealDir(files.claudeDir, files.root);
    await writeFileAtomic(file, updated);
  }
  return next;
}

/** `cmgr mcp <instance> add <name> [--offset N] -- <command> [args…]`. */
async function addServer({ paths, flags, rest }: Context, name: string, server: string): Promise<number> {
  const [command, ...commandArgs] = rest;
  if (command === undefined || command === '') {
    throw usageError(
      `'cmgr mcp ${name} add ${server}' needs the server's command after --: cmgr mcp ${name} add ${server} -- <command> [args...]`,
    );
  }
  const requested = flags.offset === undefined ? undefined : String(flags.offset);
  const configModule = await loadConfigModule();
  const core = await import('@ports/cmgr-config/core');
  const added = await updateState(paths, async (state) => {
    const current = getInstance(state, name);
    await checkSandbox(current);
    const files = sandboxPaths(current.sandbox);
    const { text, config } = await readSandboxConfig(configModule, files.claudeConfig);
    if (config.mcpServers && Object.hasOwn(config.mcpServers, server)) {
      throw new CmgrError(
        'EEXISTS',
        `server '${server}' already exists in '${name}'; 'cmgr mcp ${name} remove ${server}' first`,
      );
    }
    let clean: ClaudeConfig;
    let used: Record<string, number>;
    try {
      clean = withoutPorts(configModule, config, current, paths.registry);
      used = configModule.toolPorts(clean, current).offsets;
    } catch (error) {
      throw fromConfigError(error, files.claudeConfig);
    }
    const identity = { command, args: commandArgs };
    let offset: number;
    try {
      offset = core.offsetForNewServer({ server, identity, requested, used });
    } catch (error) {
      throw usageError(`${(error as Error).message}; see 'cmgr mcp --help'`);
    }
    const withServer: ClaudeConfig = {
      ...clean,
      mcpServers: { ...(clean.mcpServers ?? {}), [server]: { command, args: commandArgs } },
    };
    const offsets = { ...current.offsets, [server]: offset };
    const next = await saveServers(configModule, current, withServer, files.claudeConfig, text, offsets);
    const entry = next.tools.find((tool) => tool.server === server);
    return {
      state: { ...state, registry: withInstance(state.registry, name, next) },
      result: {
        port: current.base + offset,
        env: entry?.env ?? core.toolEnvName(server),
        ports: current.ports,
      },
    };
  });
  print(
    `added server '${server}' to '${name}': port ${added.port} (${added.env})${added.ports ? '' : `, not applied while ports are off ('cmgr mcp ${name} --ports')`}`,
  );
  return 0;
}

/** `cmgr mcp <instance> remove <name>`. */
async function removeServer({ paths }: Context, name: string, server: string): Promise<number> {
  const configModule = await loadConfigModule();
  await updateState(paths, async (state) => {
    const current = getInstance(state, name);
    await checkSandbox(current);
    const files = sandboxPaths(current.sandbox);
    const { text, config } = await readSandboxConfig(configModule, files.claudeConfig);
    if (!config.mcpServers || !Object.hasOwn(config.mcpServers, server)) {
      throw new CmgrError('EFAILED', `no server '${server}' in '${name}'; 'cmgr mcp ${name}' lists them`);
    }
    let clean: ClaudeConfig;
    try {
      clean = withoutPorts(configModule, config, current, paths.registry);
    } catch (error) {
      throw fromConfigError(error, files.claudeConfig);
    }
    const { [server]: _removed, ...servers } = clean.mcpServers ?? {};
    const { [server]: _freed, ...offsets } = current.offsets;
    const next = await saveServers(
      configModule,
      current,
      { ...clean, mcpServers: servers },
      files.claudeConfig,
      text,
      offsets,
    );
    return { state: { ...state, registry: withInstance(state.registry, name, next) }, result: undefined };
  });
  print(`removed server '${server}' from '${name}'`);
  return 0;
}

/** `cmgr mcp <instance> --ports | --reset-ports`: everything else in the config is kept. */
async function applyOrReset({ flags, paths }: Context, name: string): Promise<number> {
  const apply = flags.ports === true;
  if (apply === (flags['reset-ports'] === true)) {
    throw usageError(`'cmgr mcp' needs exactly one of --ports or --reset-ports; see 'cmgr mcp --help'`);
  }
  const configModule = await loadConfigModule();
  const record = await updateState(paths, async (state) => {
    const current = getInstance(state, name);
    await checkSandbox(current);
    const files = sandboxPaths(current.sandbox);
    const { text, config } = await readSandboxConfig(configModule, files.claudeConfig);
    let next: InstanceRecord;
    let updated: string;
    try {
      const clean = withoutPorts(configModule, config, current, paths.registry);
      if (apply) {
        const applied = applyInstancePorts(configModule, clean, current);
        updated = applied.text;
        next = { ...current, ports: true, ...applied.fields };
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
