export { acquire, withLock } from './acquire.js';
export { type AcquireSyncOptions, acquireSync } from './acquire-sync.js';
export { LockError, type LockErrorCode, type LockErrorDetails } from './errors.js';
export { heldByThisProcess, Lock, SyncLock } from './lock.js';
export type { AcquireOptions, StaleLockInfo } from './options.js';
export { type ProcStatLine, parseProcStatLine } from './proc-stat.js';
export {
  ownProcessStartTime,
  type ProcessGoneReason,
  type ProcessStartTimeSource,
  processExists,
  processGone,
  processStartTime,
  processStartTimeSource,
} from './process-identity.js';
