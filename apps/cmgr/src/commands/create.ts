import { join } from 'node:path';
import type { Allocation, ClaudeConfig, PortRange } from '@ports/cmgr-config';
import { type Context, fromConfigError } from '../context.js';
import { CmgrError } from '../errors.js';
import {
  ensureRealDir,
  lstatOrUndefined,
  readFileNoFollow,
  readUserConfig,
  writeFileAtomic,
} from '../files.js';
import { applyInstancePorts, configText, loadConfigModule, rangeOf, readSandboxConfig } from '../instance.js';
import { note, print } from '../output.js';
import { checkInstanceName, sandboxPaths } from '../paths.js';
import { holderText } from '../port-state.js';
import { checkShareDir, sharePath, withShare } from '../shares.js';
import { type InstanceRecord, LEGACY_SIZE, updateState, withInstance } from '../state.js';

type ConfigModule = Awaited<ReturnType<typeof loadConfigModule>>;

/** `cmgr create <instance> [--no-ports] [--share <dir>]... [--json]`. */
export async function create({ instance, flags, env, paths }: Context): Promise<number> {
  const name = checkInstanceName(instance ?? '');
  const withPorts = flags['no-ports'] !== true;
  const asked = flags.share;
  let shares: InstanceRecord['shares'] = [];
  for (const dir of Array.isArray(asked) ? asked : []) {
    const path = sharePath(dir);
    await checkShareDir(path);
    shares = withShare(shares, { path, readOnly: false });
  }
  const configModule = await loadConfigModule();
  // Empty counts as unset, as parsePortEnv reads it.
  const explicit = Boolean(env.MCP_BASE_PORT) || Boolean(env.MCP_PORT_RANGE);
  let grid: { base: number; size: number };
  try {
    grid = configModule.parsePortEnv(env);
  } catch (error) {
    throw fromConfigError(error);
  }
  // Read and check the user's config before touching anything: a bad file changes nothing.
  const userText = await readUserConfig(paths.userClaudeConfig);
  let user: { text: string | undefined; config: ClaudeConfig } = {
    text: undefined,
    config: { mcpServers: {} },
  };
  if (userText !== undefined) {
    try {
      user = { text: userText, config: configModule.parseClaudeConfig(userText) };
    } catch (error) {
      throw fromConfigError(error, paths.userClaudeConfig);
    }
  }

  const record = await updateState(paths, async (state) => {
    if (state.registry.instances[name]) {
      throw new CmgrError(
        'EEXISTS',
        `instance '${name}' already exists; pick another name or 'cmgr remove ${name}'`,
      );
    }
    const legacy = state.portRegistry.allocated_ports;
    const taken: Allocation[] = [
      ...Object.values(state.registry.instances).map((other) => ({
        name: other.name,
        range: rangeOf(other),
      })),
      ...Object.entries(legacy)
        .filter(([other]) => other !== name && !state.registry.instances[other])
        .map(([other, base]) => ({ name: other, range: rangeOf({ base, size: LEGACY_SIZE }) })),
    ];
    const sandbox = join(paths.sandboxes, name);
    const files = sandboxPaths(sandbox);
    const existing = await lstatOrUndefined(sandbox);
    let source: { text: string | undefined; config: ClaudeConfig };
    let fromSandbox = false;
    if (existing) {
      if (!existing.isDirectory() || existing.isSymbolicLink()) {
        throw new CmgrError(
          'EEXISTS',
          `${sandbox} exists and is not a directory; move it aside or pick another name`,
        );
      }
      source = await readSandboxConfig(configModule, files.claudeConfig);
      fromSandbox = source.text !== undefined;
      if (!fromSandbox) source = user;
    } else {
      source = user;
    }

    let base: number;
    let size: number;
    const adopted = Object.hasOwn(legacy, name) ? legacy[name] : undefined;
    if (
      adopted !== undefined &&
      !taken.some((other) =>
        configModule.rangesOverlap(other.range, rangeOf({ base: adopted, size: LEGACY_SIZE })),
      )
    ) {
      // Recorded by the older shell tool (or a create that stopped half-way): keep its range.
      base = adopted;
      size = LEGACY_SIZE;
    } else {
      base = await pickBase(
        name,
        taken,
        grid,
        explicit,
        plannedOffsets(configModule, name, source.config, grid),
      );
      size = grid.size;
    }

    let text = source.text ?? configText(source.config);
    let offsets = {};
    let tools: InstanceRecord['tools'] = [];
    let portsRecord: InstanceRecord['portsRecord'];
    if (withPorts) {
      try {
        // An adopted sandbox's config may still carry another run's ports: take them out first.
        const clean = fromSandbox ? configModule.resetPorts(source.config) : source.config;
        const applied = applyInstancePorts(configModule, clean, { name, base, size, offsets: {} });
        text = applied.text;
        ({ offsets, tools, portsRecord } = applied.fields);
      } catch (error) {
        throw fromConfigError(error, fromSandbox ? files.claudeConfig : paths.userClaudeConfig);
      }
    }

    await ensureRealDir(paths.sandboxes);
    await ensureRealDir(files.claudeDir, sandbox);
    await ensureRealDir(files.cmgrDir, sandbox);
    const current = await readFileNoFollow(files.claudeConfig);
    if (current !== text) await writeFileAtomic(files.claudeConfig, text);
    if (existing) note(`adopted the existing sandbox ${sandbox}; its files were kept`);

    const created: InstanceRecord = {
      name,
      base,
      size,
      sandbox,
      ports: withPorts,
      offsets,
      tools,
      ...(portsRecord && { portsRecord }),
      created: new Date().toISOString(),
      ...(shares.length > 0 && { shares }),
    };
    return {
      state: {
        registry: withInstance(state.registry, name, created),
        portRegistry: { ...state.portRegistry, allocated_ports: { ...legacy, [name]: base } },
      },
      result: created,
    };
  });

  const range = rangeOf(record);
  if (flags.json) {
    print(
      JSON.stringify(
        {
          name,
          range,
          ports: record.ports,
          sandbox: record.sandbox,
          tools: record.tools,
          shares: record.shares ?? [],
        },
        null,
        2,
      ),
    );
  } else {
    print(
      `created '${name}': ports ${range.start}-${range.end}${record.ports ? '' : ' (ports off)'}, sandbox ${record.sandbox}`,
    );
  }
  return 0;
}

/** The offsets the instance's servers will get (they do not depend on the base); none for a config that cannot take ports. */
function plannedOffsets(
  configModule: ConfigModule,
  name: string,
  config: ClaudeConfig,
  grid: { readonly base: number; readonly size: number },
): number[] {
  try {
    const plan = configModule.toolPorts(config, { name, base: grid.base, size: grid.size, offsets: {} });
    return Object.values(plan.offsets);
  } catch {
    return [];
  }
}

/**
 * The first port of a new instance (see `chooseRange` of @ports/cmgr-config): with MCP_BASE_PORT and
 * MCP_PORT_RANGE unset, the first slot of the default grid that overlaps nothing; set explicitly, the first
 * slot no instance holds exactly, refused when it overlaps another instance's range, since the user asked
 * for that grid. Either way a range where another process holds a port the instance will use (`offsets`)
 * is skipped, and each one skipped is named on stderr.
 */
async function pickBase(
  name: string,
  taken: readonly Allocation[],
  grid: { readonly base: number; readonly size: number },
  explicit: boolean,
  offsets: readonly number[],
): Promise<number> {
  const core = await import('@ports/cmgr-config/core');
  const { portHoldersOf } = await import('@ports/probe');
  const skip: PortRange[] = [];
  for (;;) {
    let chosen: ReturnType<typeof core.chooseRange>;
    try {
      chosen = core.chooseRange({ taken, grid, explicit, skip });
    } catch (error) {
      throw fromConfigError(error);
    }
    if (chosen.conflict) {
      const { conflict, range, freeBase } = chosen;
      const instead =
        freeBase === undefined ? 'remove that instance' : `set MCP_BASE_PORT=${freeBase} (free from there)`;
      throw new CmgrError(
        'EUSAGE',
        `MCP_BASE_PORT=${grid.base} MCP_PORT_RANGE=${grid.size} would give '${name}' ports ${range.start}-${range.end}, ` +
          `overlapping instance '${conflict.name}' (${conflict.range.start}-${conflict.range.end}); ` +
          `${instead}, or unset MCP_BASE_PORT and MCP_PORT_RANGE to take the first free slot`,
      );
    }
    const holders = await portHoldersOf(core.portsInRange(chosen.range, offsets));
    const held = [...holders].filter(([, found]) => found.length > 0);
    if (held.length === 0) return chosen.range.start;
    const who = held.map(([port, found]) => `${port} by ${holderText(found)}`).join('; ');
    note(
      `skipped ports ${chosen.range.start}-${chosen.range.end} for '${name}': held by another process (${who})`,
    );
    skip.push(chosen.range);
  }
}
