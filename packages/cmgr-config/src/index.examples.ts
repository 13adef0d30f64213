/**
 * Type-checked examples of `@ports/cmgr-config`, copied into the TSDoc `@example` blocks that name their
 * region (`pnpm sync-examples`; `scripts/tsdoc-examples.test.ts` fails when they differ). Nothing calls
 * these functions: they exist to be type-checked. Not part of the build (tsup bundles `index.ts` only).
 * What an example takes from its surroundings is a parameter.
 */

import type { spawn as spawnType } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import {
  applyPorts,
  type ClaudeConfig,
  CmgrConfigError,
  firstFreeSlot,
  gridSlot,
  type InstancePorts,
  importServers,
  instanceRange,
  type OffsetMap,
  type PortsRecord,
  parseClaudeConfig,
  parsePortEnv,
  portsRecord,
  recogniseTool,
  resetPorts,
  toolPortEnv,
  toolPorts,
  validateInstanceName,
} from './index.js';

/** What a caller keeps of an instance between runs. */
interface Saved {
  record?: PortsRecord;
  offsets?: OffsetMap;
}

/** {@link applyPorts}. */
export async function applyPortsExample(
  file: string,
  saved: Saved,
  writeAtomically: (file: string, text: string) => Promise<void>,
): Promise<void> {
  //#region applyPorts
  const clean = resetPorts(parseClaudeConfig(await readFile(file, 'utf8')), saved.record);
  const applied = applyPorts(clean, { name: 'work', base: 9100, offsets: saved.offsets });
  await writeAtomically(file, JSON.stringify(applied, null, 2));
  saved.record = portsRecord(applied);
  saved.offsets = toolPorts(clean, { name: 'work', base: 9100, offsets: saved.offsets }).offsets;
  //#endregion applyPorts
}

/** {@link CmgrConfigError}. */
export async function CmgrConfigErrorExample(): Promise<void> {
  //#region CmgrConfigError
  try {
    validateInstanceName('../etc');
  } catch (error) {
    if (error instanceof CmgrConfigError && error.code === 'EINVALIDNAME') console.error(error.message);
  }
  //#endregion CmgrConfigError
}

/** {@link importServers}. */
export async function importServersExample(
  targetConfig: ClaudeConfig,
  target: Saved,
  sourceConfig: ClaudeConfig,
  source: Saved,
): Promise<void> {
  //#region importServers
  const clean = resetPorts(targetConfig, target.record);
  const { config } = importServers(clean, sourceConfig, { sourceRecord: source.record });
  const applied = applyPorts(config, { name: 'work', base: 9100, offsets: target.offsets });
  //#endregion importServers
}

/** {@link validateInstanceName}. */
export async function validateInstanceNameExample(): Promise<void> {
  //#region validateInstanceName
  validateInstanceName('work'); // 'work'
  validateInstanceName('../x'); // throws EINVALIDNAME
  //#endregion validateInstanceName
}

/** {@link toolPorts}. */
export async function toolPortsExample(config: ClaudeConfig): Promise<void> {
  //#region toolPorts
  const plan = toolPorts(config, { name: 'work', base: 9100 });
  plan.ports; // [{ server: 'filesystem', tool: 'filesystem', offset: 10, port: 9110, ... }, ...]
  //#endregion toolPorts
}

/** {@link toolPortEnv}. */
export async function toolPortEnvExample(
  spawn: typeof spawnType,
  command: string,
  config: ClaudeConfig,
  instance: InstancePorts,
  sandbox: string,
): Promise<void> {
  //#region toolPortEnv
  spawn(command, { env: { ...process.env, ...toolPortEnv(config, instance), HOME: sandbox } });
  //#endregion toolPortEnv
}

/** {@link instanceRange}. */
export async function instanceRangeExample(): Promise<void> {
  //#region instanceRange
  instanceRange(1); // { start: 9000, end: 9099 }
  instanceRange(2); // { start: 9100, end: 9199 }
  instanceRange(1, { base: 20000, size: 200 }); // { start: 20000, end: 20199 }
  //#endregion instanceRange
}

/** {@link firstFreeSlot}. */
export async function firstFreeSlotExample(): Promise<void> {
  //#region firstFreeSlot
  firstFreeSlot([]); // 1
  firstFreeSlot([
    { start: 9000, end: 9099 },
    { start: 9200, end: 9299 },
  ]); // 2
  firstFreeSlot([1, 2]); // 3
  //#endregion firstFreeSlot
}

/** {@link parsePortEnv}. */
export async function parsePortEnvExample(): Promise<void> {
  //#region parsePortEnv
  parsePortEnv(process.env); // { base: 9000, size: 100 } when neither is set
  parsePortEnv({ MCP_BASE_PORT: '20000', MCP_PORT_RANGE: '200' }); // { base: 20000, size: 200 }
  //#endregion parsePortEnv
}

/** {@link portsRecord}. */
export async function portsRecordExample(file: string, config: ClaudeConfig, state: Saved): Promise<void> {
  //#region portsRecord
  const applied = applyPorts(config, { name: 'work', base: 9100 });
  await writeFile(file, JSON.stringify(applied));
  state.record = portsRecord(applied);
  // later, from disk:
  const original = resetPorts(parseClaudeConfig(await readFile(file, 'utf8')), state.record);
  //#endregion portsRecord
}

/** {@link resetPorts}. */
export async function resetPortsExample(config: ClaudeConfig, text: string, saved: Saved): Promise<void> {
  //#region resetPorts
  const original = resetPorts(applyPorts(config, { name: 'work', base: 9100 })); // deep-equals config
  const fromDisk = resetPorts(parseClaudeConfig(text), saved.record);
  //#endregion resetPorts
}

/** {@link parseClaudeConfig}. */
export async function parseClaudeConfigExample(file: string): Promise<void> {
  //#region parseClaudeConfig
  const config = parseClaudeConfig(await readFile(file, 'utf8'));
  //#endregion parseClaudeConfig
}

/** {@link gridSlot}. */
export async function gridSlotExample(): Promise<void> {
  //#region gridSlot
  const a = { name: 'a', range: { start: 9000, end: 9099 } };
  gridSlot([a], { base: 9000 }); // { slot: 2, range: { start: 9100, end: 9199 }, conflict: undefined, ... }
  gridSlot([a], { base: 9050 }).conflict; // a: 9050-9149 overlaps 9000-9099
  //#endregion gridSlot
}

/** {@link recogniseTool}. */
export async function recogniseToolExample(): Promise<void> {
  //#region recogniseTool
  recogniseTool('files', { args: ['-y', '@modelcontextprotocol/server-filesystem@2025.1.1', '/home'] })?.name;
  // 'filesystem'
  recogniseTool('Sequential_Thinking', {})?.offset; // 20
  //#endregion recogniseTool
}
