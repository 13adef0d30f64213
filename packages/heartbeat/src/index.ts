export { HeartbeatError, type HeartbeatErrorCode } from './errors.js';
export { type Beat, type Heartbeat, type HeartbeatOptions, startHeartbeat } from './heartbeat.js';
export type { Cleanup, ShutdownReason } from './run-cleanup.js';
export { onShutdown, type ShutdownOptions, shutdown } from './shutdown.js';
