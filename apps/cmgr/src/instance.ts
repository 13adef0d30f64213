import type { ClaudeConfig, InstancePortPlan, PortsRecord, ToolPort } from '@ports/cmgr-config';
import { fromConfigError } from './context.js';
import { CmgrError } from './errors.js';
import { lstatOrUndefined, readFileNoFollow } from './files.js';
import { isRunning } from './proc.js';
import type { InstanceRecord, RecordedTool } from './state.js';

type ConfigModule = typeof import('@ports/cmgr-config');

/** Loads @ports/cmgr-config (and its schema library) only for the commands that parse configs. */
export function loadConfigModule(): Promise<ConfigModule> {
  return import('@ports/cmgr-config');
}

/** The record form of applied tool ports. */
export function recordTools(ports: readonly ToolPort[]): RecordedTool[] {
  return ports.map((p) => ({
    server: p.server,
    ...(p.tool && { tool: p.tool }),
    port: p.port,
    env: p.envName,
  }));
}

/** The config of a sandbox as text and parsed; a missing file reads as an empty config. */
export async function readSandboxConfig(
  configModule: ConfigModule,
  file: string,
): Promise<{ readonly text: string | undefined; readonly config: ClaudeConfig }> {
  const text = await readFileNoFollow(file);
  if (text === undefined) return { text, config: { mcpServers: {} } };
  try {
    return { text, config: configModule.parseClaudeConfig(text) };
  } catch (error) {
    throw fromConfigError(error, file);
  }
}

/**
 * The sandbox config without cmgr's ports: exactly what the instance's recorded `portsRecord` says was
 * added, else what the file's old `cmgrPorts` key says, else the four variables where they look like
 * cmgr's. A damaged record is a corrupt `registry.json`.
 */
export function withoutPorts(
  configModule: ConfigModule,
  config: ClaudeConfig,
  record: InstanceRecord,
  registryFile: string,
): ClaudeConfig {
  try {
    return configModule.resetPorts(config, record.portsRecord);
  } catch (error) {
    if (error instanceof configModule.CmgrConfigError && error.code === 'EINVALIDRECORD') {
      throw new CmgrError(
        'ESTATECORRUPT',
        `state file ${registryFile} is corrupt (instances.${record.name}.portsRecord: ${error.message}); fix it or move it aside`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** What applying an instance's ports gives: the new config, each server's port, and the undo record. */
export interface AppliedInstance {
  readonly config: ClaudeConfig;
  /** `config` as cmgr writes it ({@link configText}). */
  readonly text: string;
  readonly plan: InstancePortPlan;
  readonly record: PortsRecord;
  /** What the instance's record keeps of it: the offsets (old ones kept), the tools, the undo record. */
  readonly fields: Pick<InstanceRecord, 'offsets' | 'tools' | 'portsRecord'>;
}

/** Applies the ports of `record` to a config that carries none (see {@link withoutPorts}). */
export function applyInstancePorts(
  configModule: ConfigModule,
  clean: ClaudeConfig,
  record: Pick<InstanceRecord, 'name' | 'base' | 'size' | 'offsets'>,
): AppliedInstance {
  const instance = { name: record.name, base: record.base, size: record.size, offsets: record.offsets };
  const config = configModule.applyPorts(clean, instance);
  const plan = configModule.toolPorts(clean, instance);
  const portsRecord = configModule.portsRecord(config)!;
  return {
    config,
    text: configText(config),
    plan,
    record: portsRecord,
    fields: { offsets: { ...record.offsets, ...plan.offsets }, tools: recordTools(plan.ports), portsRecord },
  };
}

/** Serialises a config the way cmgr writes it. */
export function configText(config: ClaudeConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Refuses a sandbox that is a symlink or not a directory: everything cmgr writes goes below it. */
export async function checkSandbox(record: InstanceRecord): Promise<void> {
  const stats = await lstatOrUndefined(record.sandbox);
  if (stats === undefined) {
    throw new CmgrError(
      'EFAILED',
      `sandbox ${record.sandbox} of '${record.name}' is missing; 'cmgr remove ${record.name} --yes' then create it again`,
    );
  }
  if (!stats.isDirectory() || stats.isSymbolicLink()) {
    throw new CmgrError(
      'ESYMLINK',
      `sandbox ${record.sandbox} is not a real directory; cmgr will not write into it`,
    );
  }
}

/** The inclusive range of an instance. */
export function rangeOf(record: Pick<InstanceRecord, 'base' | 'size'>): { start: number; end: number } {
  return { start: record.base, end: record.base + record.size - 1 };
}

/** The fields `list` and `ports` both show for an instance; running is checked against the live process. */
export async function instanceSummary(record: InstanceRecord) {
  const running = await isRunning(record.process);
  return {
    name: record.name,
    range: rangeOf(record),
    ports: record.ports,
    running,
    pid: running ? record.process!.pid : null,
    /** The sandbox the running instance was started in (`bwrap` or `none`); `null` when it is not running. */
    sandboxMode: running ? (record.process!.sandbox ?? 'none') : null,
  };
}
