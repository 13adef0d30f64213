import { heldByThisProcess } from '@ports/lock';
import { isPortInUse, ProbeError, warmUp } from '@ports/probe';
import { RegistryError } from './errors.js';
import { parseRegistry, type RegistryEntry } from './format.js';
import { describeHolders } from './holders.js';
import { createInstanceId, validateInstanceId } from './instance-id.js';
import { LivenessCheck, ownStartTime, thisHost } from './liveness.js';
import type { Loaded } from './load.js';
import { type PortRegistryOptions, type ResolvedOptions, resolveOptions, validatePort } from './options.js';
import { forgetDeparture, rememberDepartures, rememberedPort } from './previous-ports.js';
import { readRegistryText } from './store.js';
import { type Outcome, RegistryFile } from './transaction.js';

/** Options of {@link PortRegistry.allocate}. */
export interface AllocateOptions<T> {
  /** Identity of the instance (default: {@link createInstanceId}, which honours `MCP_INSTANCE_ID`). */
  readonly instanceId?: string;
  /** Port to try first, if free. Must lie in the registry's range. */
  readonly preferredPort?: number;
  /**
   * Binds the caller's server on the chosen port while the registry lock is held, so nothing can
   * take the port between the choice and the bind. An error with `code: 'EADDRINUSE'` (or
   * `'EACCES'`) moves on to the next port; any other error (`'EADDRNOTAVAIL'`: the address is not
   * this machine's) aborts the allocation.
   */
  readonly bind?: (port: number) => Promise<T>;
  /** Undoes `bind` if the registry cannot be written afterwards. */
  readonly unbind?: (bound: T) => void | Promise<void>;
  /** Aborts waiting for the lock and the search for a port. */
  readonly signal?: AbortSignal;
}

/** A new registry entry, plus whatever `bind` returned. */
export type Allocation<T> = RegistryEntry & { readonly bound: T | undefined };

const BIND_RETRY_CODES = new Set(['EADDRINUSE', 'EACCES']);

/**
 * A registry of local instances and the ports they own, shared through one JSON file.
 * Every change happens under `@ports/lock` and is written atomically; reads take no lock.
 *
 * @example
 * ```ts source="./index.examples.ts#PortRegistry"
 * const registry = new PortRegistry({ range: [8765, 8775] });
 * const {
 *   port,
 *   instanceId,
 *   bound: server,
 * } = await registry.allocate({
 *   bind: (port) => listen(httpServer, port), // runs under the lock
 * });
 * setInterval(() => registry.heartbeat(instanceId), 30_000).unref();
 * process.on('exit', () => registry.releaseSync(instanceId));
 * ```
 */
export class PortRegistry {
  /** The options in force, defaults applied. */
  readonly options: ResolvedOptions;
  /** The file under its lock: where every change runs as a transaction. */
  readonly #file: RegistryFile;
  /** Entries this object allocated, so a heartbeat can re-add one that was evicted. */
  readonly #owned = new Map<string, RegistryEntry>();

  constructor(options: PortRegistryOptions = {}) {
    this.options = resolveOptions(options);
    this.#file = new RegistryFile(this.options);
  }

  /** Absolute path of the registry file. */
  get file(): string {
    return this.options.file;
  }

  /**
   * Claims a port for `instanceId`: evicts dead and stale entries, picks the first port of the
   * range that is neither registered nor in use, runs `bind` on it, and records the entry.
   *
   * @throws {RegistryError} `EPORTSEXHAUSTED` listing the holders when no port is free;
   * `EINSTANCEIDTAKEN` when another live process holds `instanceId`.
   */
  async allocate<T = undefined>(options: AllocateOptions<T> = {}): Promise<Allocation<T>> {
    const instanceId =
      options.instanceId === undefined ? createInstanceId() : validateInstanceId(options.instanceId);
    const [start, end] = this.options.range;
    const preferred =
      options.preferredPort === undefined ? undefined : validatePort('preferredPort', options.preferredPort);
    if (preferred !== undefined && (preferred < start || preferred > end)) {
      throw new RegistryError(
        'EINVALIDOPTION',
        `option "preferredPort" ${preferred} is outside the range ${start}-${end}`,
      );
    }
    // Node's one-time set-up for the first bind of a process (~2 ms) happens before the lock, so
    // the first allocation holds it barely longer than the rest.
    await warmUp();
    const allocation = await this.#file.transaction(
      options.signal,
      async ({ state }): Promise<Outcome<Allocation<T>>> => {
        const existing = state.instances.find((entry) => entry.instanceId === instanceId);
        if (existing && !isOurs(existing)) throw instanceIdTaken(instanceId, existing);
        const others = state.instances.filter((entry) => entry !== existing);
        const taken = new Set(others.map((entry) => entry.port));
        // Its entry, or else the port it had when it last left (released, or evicted as gone).
        const previous = existing?.port ?? rememberedPort(state.otherFields, instanceId);
        for (const port of candidates(preferred, previous, start, end)) {
          if (taken.has(port)) continue;
          options.signal?.throwIfAborted();
          if (await this.#portInUse(port)) continue;
          let bound: T | undefined;
          // Whether bind ran and succeeded: it may well resolve to nothing (a server bound in place).
          let didBind = false;
          if (options.bind) {
            try {
              bound = await options.bind(port);
              didBind = true;
            } catch (error) {
              if (BIND_RETRY_CODES.has((error as NodeJS.ErrnoException)?.code ?? '')) continue;
              throw error;
            }
          }
          const now = Date.now();
          const entry: RegistryEntry = {
            port,
            instanceId,
            pid: process.pid,
            createdAt: now,
            lastHeartbeat: now,
            startTime: ownStartTime,
            hostname: thisHost,
          };
          this.#owned.set(instanceId, entry);
          return {
            result: { ...entry, bound },
            instances: [...others, entry],
            otherFields: forgetDeparture(state.otherFields, instanceId),
            onCommitFailed: async () => {
              this.#owned.delete(instanceId);
              if (options.unbind && didBind) await options.unbind(bound as T);
            },
          };
        }
        throw new RegistryError(
          'EPORTSEXHAUSTED',
          `no free port in ${start}-${end} (registry ${this.file}): ${await describeHolders(start, end, others)}. Stop one of them, or choose a larger range.`,
        );
      },
    );
    // Only once it is written: a writer that lost the lock before its rename claims nothing.
    this.options.logger.info(`Allocated port ${allocation.port} for ${instanceId}`);
    return allocation;
  }

  /** Whether `port` is in use on the `host` option's addresses; a host we cannot probe is a bad option. */
  async #portInUse(port: number): Promise<boolean> {
    const { host } = this.options;
    try {
      return await isPortInUse(port, { host });
    } catch (error) {
      if (error instanceof ProbeError && error.code === 'EHOSTUNAVAILABLE') {
        throw new RegistryError('EINVALIDOPTION', `option "host" is not usable: ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * Records a sign of life for `instanceId`. If the entry was evicted meanwhile (a laptop that
   * slept past `staleAfterMs`, a registry moved aside as corrupt) and its port is still free in
   * the registry, the entry is re-added.
   *
   * @throws {RegistryError} `EPORTLOST` when another instance took the port; `ENOTALLOCATED` for an
   * id this object never allocated and that is not in the file.
   */
  async heartbeat(instanceId: string): Promise<RegistryEntry> {
    return this.#file.transaction(undefined, async ({ state }): Promise<Outcome<RegistryEntry>> => {
      const now = Date.now();
      const current = state.instances.find((entry) => entry.instanceId === instanceId);
      if (current) {
        if (!isOurs(current)) throw instanceIdTaken(instanceId, current);
        const updated = { ...current, lastHeartbeat: now };
        this.#owned.set(instanceId, updated);
        return {
          result: updated,
          instances: state.instances.map((entry) => (entry === current ? updated : entry)),
        };
      }
      const owned = this.#owned.get(instanceId);
      if (!owned) {
        throw new RegistryError(
          'ENOTALLOCATED',
          `instance ${instanceId} has no entry in ${this.file}; allocate a port first.`,
        );
      }
      const holder = state.instances.find((entry) => entry.port === owned.port);
      if (holder) {
        this.#owned.delete(instanceId);
        throw new RegistryError(
          'EPORTLOST',
          `port ${owned.port} of ${instanceId} was evicted and is now held by ${holder.instanceId} (pid ${holder.pid}); allocate again.`,
        );
      }
      const readded = { ...owned, lastHeartbeat: now };
      this.#owned.set(instanceId, readded);
      this.options.logger.info(`Re-registered port ${owned.port} for ${instanceId} after it was evicted`);
      return {
        result: readded,
        instances: [...state.instances, readded],
        otherFields: forgetDeparture(state.otherFields, instanceId),
      };
    });
  }

  /** Removes the entry of `instanceId` if this process owns it. Resolves `true` when one was removed. */
  async release(instanceId: string): Promise<boolean> {
    this.#owned.delete(instanceId);
    const removed = await this.#file.transaction(undefined, (loaded) => {
      // Again under the lock: a heartbeat of ours that ran just before this (it was already under
      // way when release was called) has recorded the entry anew, and must not re-add it later.
      this.#owned.delete(instanceId);
      return releaseOurs(loaded, instanceId);
    });
    this.#logReleased(removed, instanceId);
    return removed.length > 0;
  }

  /**
   * Synchronous {@link PortRegistry.release} for `process.on('exit')`, where nothing asynchronous
   * runs. Never throws: failures are logged, and the entry is then evicted by the next
   * allocation once this process is gone. Returns `false` at once, without waiting, while an async
   * operation of this process holds the registry lock (it could not finish while we block).
   */
  releaseSync(instanceId: string): boolean {
    this.#owned.delete(instanceId);
    // An async operation of this process holds the lock (an async release started on the same
    // shutdown): blocking for it would only wait for ourselves; that operation goes on after us.
    if (heldByThisProcess(this.options.lockFile)) {
      this.options.logger.info(`releaseSync(${instanceId}) left to the registry operation in progress`);
      return false;
    }
    try {
      const removed = this.#file.transactionSync(Math.min(this.options.lockTimeoutMs, 2_000), (loaded) =>
        releaseOurs(loaded, instanceId),
      );
      this.#logReleased(removed, instanceId);
      return removed.length > 0;
    } catch (error) {
      this.options.logger.warn(`could not release ${instanceId} on exit: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * The live instances, sorted by port. Takes no lock and writes nothing: renames are atomic, so
   * the file read is always whole; stale entries are filtered out here and evicted by the next write.
   */
  async list(): Promise<RegistryEntry[]> {
    const text = await readRegistryText(this.#file.store);
    if (typeof text !== 'string') {
      if (text !== undefined)
        this.options.logger.warn(`registry ${this.file} is ${text.tooLarge} bytes; ignoring it`);
      return [];
    }
    const parsed = parseRegistry(text);
    if ('corrupt' in parsed) {
      this.options.logger.warn(
        `registry ${this.file} is unreadable (${parsed.corrupt}); the next write moves it aside`,
      );
      return [];
    }
    const liveness = new LivenessCheck(Date.now(), this.options.staleAfterMs);
    return parsed.instances
      .filter((entry) => !liveness.evictionReason(entry))
      .sort((a, b) => a.port - b.port);
  }

  #logReleased(removed: readonly RegistryEntry[], instanceId: string): void {
    for (const entry of removed) this.options.logger.info(`Released port ${entry.port} for ${instanceId}`);
  }
}

/**
 * Release of this process's entries for `instanceId`, async or sync: they leave the file, and their
 * ports are remembered for the id's restart.
 */
function releaseOurs(loaded: Loaded, instanceId: string): Outcome<RegistryEntry[]> {
  const remaining: RegistryEntry[] = [];
  const removed: RegistryEntry[] = [];
  for (const entry of loaded.state.instances) {
    (entry.instanceId === instanceId && isOurs(entry) ? removed : remaining).push(entry);
  }
  if (removed.length === 0) return { result: removed };
  return {
    result: removed,
    instances: remaining,
    otherFields: rememberDepartures(loaded.state.otherFields, removed),
  };
}

function isOurs(entry: RegistryEntry): boolean {
  return entry.pid === process.pid && (entry.hostname === undefined || entry.hostname === thisHost);
}

function instanceIdTaken(instanceId: string, holder: RegistryEntry): RegistryError {
  return new RegistryError(
    'EINSTANCEIDTAKEN',
    `instance id ${instanceId} is held by live process ${holder.pid} (port ${holder.port}); give this instance another id (MCP_INSTANCE_ID) or stop the other one.`,
  );
}

/** Ports to try, in order: the preferred one, the instance's previous one, then the range. */
function* candidates(
  preferred: number | undefined,
  previous: number | undefined,
  start: number,
  end: number,
): Generator<number> {
  if (preferred !== undefined) yield preferred;
  if (previous !== undefined && previous !== preferred && previous >= start && previous <= end)
    yield previous;
  for (let port = start; port <= end; port++) {
    if (port !== preferred && port !== previous) yield port;
  }
}
