export { applyPorts } from './apply.js';
export * from './core.js';
export { type ImportOptions, type ImportResult, importServers } from './import.js';
export { type OffsetMap, stableHash } from './offsets.js';
export {
  type InstancePortPlan,
  type InstancePorts,
  SERVER_ENV_KEYS,
  type ToolPort,
  toolPortEnv,
  toolPorts,
} from './ports.js';
export { type PortsRecord, portsRecord, type ServerRecord } from './record.js';
export { resetPorts } from './reset.js';
export { type ClaudeConfig, LEGACY_MARKER_KEY, type McpServer, parseClaudeConfig } from './schema.js';
