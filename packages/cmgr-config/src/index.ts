export { applyPorts } from './apply.js';
export { CmgrConfigError, type CmgrConfigErrorCode } from './errors.js';
export { type ImportOptions, type ImportResult, importServers } from './import.js';
export { INSTANCE_NAME_PATTERN, validateInstanceName } from './name.js';
export { type OffsetMap, stableHash } from './offsets.js';
export {
  type InstancePortPlan,
  type InstancePorts,
  SERVER_ENV_KEYS,
  type ToolPort,
  toolPortEnv,
  toolPorts,
} from './ports.js';
export {
  DEFAULT_BASE_PORT,
  DEFAULT_RANGE_SIZE,
  firstFreeSlot,
  formatRange,
  instanceRange,
  MAX_PORT,
  type PortEnv,
  type PortRange,
  parsePortEnv,
  type RangeOptions,
  type ResolvedRangeOptions,
  rangesOverlap,
  resolveRangeOptions,
  slotForBase,
} from './range.js';
export { type PortsRecord, portsRecord, type ServerRecord } from './record.js';
export { resetPorts } from './reset.js';
export { type ClaudeConfig, LEGACY_MARKER_KEY, type McpServer, parseClaudeConfig } from './schema.js';
export { type Allocation, type GridSlot, gridSlot } from './slots.js';
export {
  KNOWN_TOOLS,
  MAX_TOOL_OFFSET,
  MIN_TOOL_OFFSET,
  recogniseTool,
  type ServerIdentity,
  type ToolOptions,
  type ToolSpec,
  toolEnvName,
} from './tools.js';
