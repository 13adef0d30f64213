import type { Allocation } from '@ports/cmgr-config';
import { type Context, fromConfigError } from '../context.js';
import { CmgrError, usageError } from '../errors.js';
import { ensureRealDir, writeFileAtomic } from '../files.js';
import {
  applyInstancePorts,
  checkSandbox,
  loadConfigModule,
  rangeOf,
  readSandboxConfig,
  withoutPorts,
} from '../instance.js';
import { note, print } from '../output.js';
import { checkInstanceName, sandboxPaths } from '../paths.js';
import { heldPortsLine } from '../ports-held.js';
import { isRunning } from '../proc.js';
import { getInstance, type InstanceRecord, LEGACY_SIZE, updateState, withInstance } from '../state.js';

/**
 * `cmgr move <instance> [--to BASE] [--json]`: gives a stopped instance another range (the first free one
 * where no other process holds a port it uses, or the one starting at BASE) and rewrites the ports in its
 * config. The sandbox, with its login and chats, is kept.
 */
export async function move({ instance, flags, env, paths }: Context): Promise<number> {
  const name = checkInstanceName(instance ?? '');
  let to: number | undefined;
  if (flags.to !== undefined) {
    const raw = String(flags.to);
    to = /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(to >= 1 && to <= 65535))
      throw usageError(`--to must be a port 1-65535, got ${JSON.stringify(raw)}`);
  }
  const configModule = await loadConfigModule();
  const core = await import('@ports/cmgr-config/core');
  const { portHoldersOf } = await import('@ports/probe');
  let grid: { base: number; size: number };
  try {
    grid = configModule.parsePortEnv(env);
  } catch (error) {
    throw fromConfigError(error);
  }
  const moved = await updateState(paths, async (state) => {
    const current = getInstance(state, name);
    if (await isRunning(current.process)) {
      throw new CmgrError('ERUNNING', `'${name}' is running; 'cmgr stop ${name}' first, then move it`);
    }
    await checkSandbox(current);
    const files = sandboxPaths(current.sandbox);
    const { text, config } = await readSandboxConfig(configModule, files.claudeConfig);
    const legacy = state.portRegistry.allocated_ports;
    const taken: Allocation[] = [
      ...Object.values(state.registry.instances)
        .filter((other) => other.name !== name)
        .map((other) => ({ name: other.name, range: rangeOf(other) })),
      ...Object.entries(legacy)
        .filter(([other]) => other !== name && !state.registry.instances[other])
        .map(([other, base]) => ({ name: other, range: rangeOf({ base, size: LEGACY_SIZE }) })),
    ];
    let clean: ReturnType<typeof withoutPorts>;
    let offsets: number[];
    try {
      clean = withoutPorts(configModule, config, current, paths.registry);
      offsets = Object.values(configModule.toolPorts(clean, current).offsets);
    } catch (error) {
      throw fromConfigError(error, files.claudeConfig);
    }
    const size = current.size;
    let base: number;
    if (to !== undefined) {
      const range = { start: to, end: to + size - 1 };
      if (range.end > 65535)
        throw usageError(`--to ${to} with ${size} ports ends past port 65535; choose a lower base`);
      const other = taken.find((t) => configModule.rangesOverlap(t.range, range));
      if (other) {
        throw usageError(
          `--to ${to} gives '${name}' ports ${range.start}-${range.end}, overlapping '${other.name}' (${other.range.start}-${other.range.end}); choose another base, or leave --to out for the first free range`,
        );
      }
      base = to;
    } else {
      // Somewhere else than where it is: its current range is where the trouble is.
      const skip = [rangeOf(current)];
      for (;;) {
        const chosen = core.chooseRange({ taken, grid: { base: grid.base, size }, explicit: false, skip });
        const holders = await portHoldersOf(core.portsInRange(chosen.range, offsets));
        if ([...holders.values()].every((found) => found.length === 0)) {
          base = chosen.range.start;
          break;
        }
        note(
          `skipped ports ${chosen.range.start}-${chosen.range.end}: another process holds one '${name}' uses`,
        );
        skip.push(chosen.range);
      }
    }
    let next: InstanceRecord = { ...current, base };
    let updated = text;
    if (current.ports) {
      try {
        const applied = applyInstancePorts(configModule, clean, next);
        updated = applied.text;
        next = { ...next, ...applied.fields };
      } catch (error) {
        throw fromConfigError(error, files.claudeConfig);
      }
    }
    if (updated !== undefined && updated !== text) {
      await ensureRealDir(files.claudeDir, files.root);
      await writeFileAtomic(files.claudeConfig, updated);
    }
    return {
      state: {
        registry: withInstance(state.registry, name, next),
        portRegistry: { ...state.portRegistry, allocated_ports: { ...legacy, [name]: base } },
      },
      result: { from: rangeOf(current), record: next },
    };
  });
  const range = rangeOf(moved.record);
  if (to !== undefined) {
    const held = await heldPortsLine(name, moved.record.ports ? moved.record.tools : []);
    if (held) note(held);
  }
  if (flags.json) {
    print(JSON.stringify({ name, from: moved.from, range, tools: moved.record.tools }, null, 2));
  } else {
    print(
      `moved '${name}' from ${moved.from.start}-${moved.from.end} to ${range.start}-${range.end}; its sandbox is kept${moved.record.ports ? '' : " (ports off: applied at the next 'cmgr mcp --ports')"}`,
    );
  }
  return 0;
}
