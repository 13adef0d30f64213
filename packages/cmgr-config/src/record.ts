import type { z } from 'zod';
import { CmgrConfigError } from './errors.js';
import {
  type ClaudeConfig,
  describeIssue,
  formatPath,
  invalid,
  LEGACY_MARKER_KEY,
  recordSchema,
} from './schema.js';

/** What `applyPorts` records about one server it changed. */
export type ServerRecord = PortsRecord['servers'][string];

/**
 * What `applyPorts` added to a config, and any value it replaced: enough for `resetPorts` to take out
 * exactly that. Plain JSON, so a caller can store it (cmgr keeps it in `registry.json`) and pass it back.
 */
export type PortsRecord = z.infer<typeof recordSchema>;

// A symbol, not a key: the record must not show in JSON.stringify, Object.keys or deep equality.
const RECORD = Symbol('@ports/cmgr-config.portsRecord');

/** Attaches `record` to `config` as a non-enumerable, read-only property, invisible to JSON and equality. */
export function attachRecord(config: ClaudeConfig, record: PortsRecord): ClaudeConfig {
  Object.defineProperty(config, RECORD, { value: deepFreeze(record), enumerable: false });
  return config;
}

/** The record attached by `applyPorts`, or `undefined`. */
export function attachedRecord(config: ClaudeConfig): PortsRecord | undefined {
  return (config as { [RECORD]?: PortsRecord })[RECORD];
}

/** Checks a record given back by a caller (it may come from a file). */
export function checkRecord(record: unknown): PortsRecord {
  const result = recordSchema.safeParse(record);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new CmgrConfigError(
      'EINVALIDRECORD',
      `ports record ${formatPath(['record', ...issue.path])}: ${describeIssue(issue, record)}; pass the value portsRecord() returned, unchanged`,
    );
  }
  return result.data;
}

/** The old format's record, kept in the config under `cmgrPorts`; a damaged one is `ECONFIGINVALID`. */
export function legacyRecord(config: ClaudeConfig): PortsRecord | undefined {
  if (!Object.hasOwn(config, LEGACY_MARKER_KEY)) return undefined;
  const result = recordSchema.safeParse(config[LEGACY_MARKER_KEY]);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw invalid([LEGACY_MARKER_KEY, ...issue.path], describeIssue(issue, undefined));
  }
  return result.data;
}

/**
 * What {@link applyPorts} added to this config object, to store beside the file and pass back to
 * {@link resetPorts} once the config has been through JSON. For a config read from a file written by an
 * older cmgr, the record found under its `cmgrPorts` key. `undefined` when neither is there.
 *
 * @example
 * ```ts source="./index.examples.ts#portsRecord"
 * const applied = applyPorts(config, { name: 'work', base: 9100 });
 * await writeFile(file, JSON.stringify(applied));
 * state.record = portsRecord(applied);
 * // later, from disk:
 * const original = resetPorts(parseClaudeConfig(await readFile(file, 'utf8')), state.record);
 * ```
 */
export function portsRecord(config: ClaudeConfig): PortsRecord | undefined {
  return attachedRecord(config) ?? legacyRecord(config);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
