import type { RegistryEntry } from './format.js';
import { createInstanceId, validateInstanceId } from './instance-id.js';
import { type PortRegistryOptions, positiveInteger } from './options.js';
import { type AllocateOptions, PortRegistry } from './registry.js';

/** Options of {@link PortRegistryManager}: the registry's, plus the instance's identity and beat. */
export interface PortRegistryManagerOptions extends PortRegistryOptions {
  /** Default: {@link createInstanceId} (honours `MCP_INSTANCE_ID`). */
  readonly instanceId?: string;
  /** Interval of {@link PortRegistryManager.startHeartbeat} (default 30 000 ms, as in the design). */
  readonly heartbeatIntervalMs?: number;
}

/**
 * The original design's API over {@link PortRegistry}, for code that already uses its names.
 * Unlike the design, release really releases (the manager that allocated is the one that
 * releases), and the heartbeat never throws into the event loop.
 *
 * @example
 * ```ts source="./index.examples.ts#PortRegistryManager"
 * const manager = new PortRegistryManager();
 * const port = await manager.allocatePort();
 * manager.startHeartbeat();
 * // ... on shutdown:
 * await manager.releasePort();
 * ```
 */
export class PortRegistryManager {
  /** The registry underneath, for everything the design's names do not cover. */
  readonly registry: PortRegistry;
  readonly #instanceId: string;
  readonly #heartbeatIntervalMs: number;
  #port: number | null = null;
  #timer: NodeJS.Timeout | undefined;
  /** The heartbeat run in force (0: stopped); a beat of an earlier run never schedules another. */
  #run = 0;
  #runs = 0;
  #beating = false;

  constructor(options: PortRegistryManagerOptions = {}) {
    const { instanceId, heartbeatIntervalMs = 30_000, ...registryOptions } = options;
    this.registry = new PortRegistry(registryOptions);
    this.#instanceId = instanceId === undefined ? createInstanceId() : validateInstanceId(instanceId);
    this.#heartbeatIntervalMs = positiveInteger('heartbeatIntervalMs', heartbeatIntervalMs);
  }

  /** This instance's id. */
  getInstanceId(): string {
    return this.#instanceId;
  }

  /** The allocated port, or `null` before {@link PortRegistryManager.allocatePort}. */
  getPort(): number | null {
    return this.#port;
  }

  /** Allocates a port (see {@link PortRegistry.allocate}) and resolves with it. */
  async allocatePort(options: Omit<AllocateOptions<unknown>, 'instanceId'> = {}): Promise<number> {
    const entry = await this.registry.allocate({ ...options, instanceId: this.#instanceId });
    this.#port = entry.port;
    return entry.port;
  }

  /** Stops the heartbeat and removes this instance's entry. */
  async releasePort(): Promise<void> {
    this.stopHeartbeat();
    if (this.#port === null) return;
    this.#port = null;
    await this.registry.release(this.#instanceId);
  }

  /** Synchronous {@link PortRegistryManager.releasePort} for `process.on('exit')`. */
  releasePortSync(): void {
    this.stopHeartbeat();
    if (this.#port === null) return;
    this.#port = null;
    this.registry.releaseSync(this.#instanceId);
  }

  /**
   * Beats every `heartbeatIntervalMs`. The timer is unref'd (it never keeps the process alive),
   * beats never overlap (also across stop and start while a beat is running), and a failed beat is
   * logged, never thrown.
   *
   * Why this loop is not `@ports/heartbeat`'s `startHeartbeat`, which keeps the same promises: the
   * registry depends at run time on `@ports/lock` and `@ports/probe` only, so that it can be installed
   * and reused alone, and this facade only reproduces the design's `startHeartbeat()`/`stopHeartbeat()`
   * pair. Code that wants more (jitter, an immediate beat, `beatNow()`, an `AbortSignal`, `await using`)
   * passes `registry.heartbeat(id)` as the beat to `@ports/heartbeat` itself, as browser-mcp does.
   */
  startHeartbeat(): void {
    if (this.#run !== 0) return;
    this.#runs += 1;
    this.#run = this.#runs;
    this.#schedule(this.#run);
  }

  /** Stops the heartbeat started by {@link PortRegistryManager.startHeartbeat}. */
  stopHeartbeat(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#run = 0;
  }

  #schedule(run: number): void {
    this.#timer = setTimeout(() => this.#beat(run), this.#heartbeatIntervalMs).unref();
  }

  #beat(run: number): void {
    if (this.#run !== run) return;
    // A beat of an earlier run is still going: wait a whole interval rather than overlap it.
    if (this.#beating) {
      this.#schedule(run);
      return;
    }
    this.#beating = true;
    this.registry
      .heartbeat(this.#instanceId)
      .catch((error: Error) => this.registry.options.logger.warn(`heartbeat failed: ${error.message}`))
      .finally(() => {
        this.#beating = false;
        if (this.#run === run) this.#schedule(run);
      });
  }

  /** The live instances of a registry (default file and range), without writing to it. */
  static async getActiveInstances(options: PortRegistryOptions = {}): Promise<RegistryEntry[]> {
    return new PortRegistry(options).list();
  }
}
