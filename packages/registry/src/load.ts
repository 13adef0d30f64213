import { emptyState, parseRegistry, type RegistryEntry, type RegistryState } from './format.js';
import { LivenessCheck } from './liveness.js';
import type { ResolvedOptions } from './options.js';
import { rememberDepartures } from './previous-ports.js';
import { moveAsideSync, type ReadResult, type StoreOptions } from './store.js';

/** The registry as a transaction starts from it. */
export interface Loaded {
  readonly state: RegistryState;
  /** Whether the file must be rewritten even if the operation changes nothing. */
  readonly dirty: boolean;
  /** Whether an entry was evicted because its process is gone: its temp files go after the lock. */
  readonly exited: boolean;
}

/**
 * Takes the file as read under the lock: moves a corrupt or oversized one aside (never deletes it),
 * keeps the valid entries of one with invalid entries (the original saved aside), and evicts entries
 * that are not live, remembering their ports for their ids' restart. Every step is logged.
 */
export function loadRegistry(text: ReadResult, options: ResolvedOptions, store: StoreOptions): Loaded {
  const { logger, file } = options;
  if (text === undefined) return { state: emptyState(), dirty: false, exited: false };
  let state: RegistryState;
  let dirty = false;
  if (typeof text !== 'string') {
    const aside = moveAsideSync(store);
    logger.warn(
      `registry ${file} was ${text.tooLarge} bytes, too large to be ours; moved it to ${aside} and started afresh`,
    );
    state = emptyState();
    dirty = true;
  } else {
    const parsed = parseRegistry(text);
    if ('corrupt' in parsed) {
      const aside = moveAsideSync(store);
      logger.warn(
        `registry ${file} was corrupt (${parsed.corrupt}); moved it to ${aside} and started afresh (live instances re-register on their next heartbeat)`,
      );
      state = emptyState();
      dirty = true;
    } else {
      state = parsed;
      if (parsed.invalid.length > 0) {
        const aside = moveAsideSync(store);
        logger.warn(
          `registry ${file} had invalid entries (${parsed.invalid.join('; ')}); kept the valid ones, original saved as ${aside}`,
        );
        dirty = true;
      }
    }
  }
  const liveness = new LivenessCheck(Date.now(), options.staleAfterMs);
  const kept: RegistryEntry[] = [];
  const evicted: RegistryEntry[] = [];
  let exited = false;
  for (const entry of state.instances) {
    const reason = liveness.evictionReason(entry);
    if (!reason) {
      kept.push(entry);
      continue;
    }
    evicted.push(entry);
    logger.info(
      `Evicted stale instance ${entry.instanceId} (port ${entry.port}, pid ${entry.pid}): ${reason}`,
    );
    if (reason !== 'heartbeat too old') exited = true;
  }
  return {
    // Evicted instances' ports are remembered, so their ids get them back on restart.
    state: { instances: kept, otherFields: rememberDepartures(state.otherFields, evicted) },
    dirty: dirty || evicted.length > 0,
    exited,
  };
}
