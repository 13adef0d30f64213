import { loadDisabledPorts, loadRange, type PortRange, saveDisabledPorts } from './config.js';
import { releaseInstance, setInstanceLabel } from './instance-tabs.js';
import { loadPairingKey } from './pairing/store.js';
import { probeServer } from './probe.js';
import { ServerConnection } from './server-connection.js';

/** Backoff of a port that has no server (or lost it): from this, doubling… */
export const FIRST_RETRY_MS = 250;
/** …up to this: a server started later is found within 5 s. */
export const MAX_RETRY_MS = 5_000;

/** A server that is not paired with us is tried again this often (pairing reconnects at once). */
export const UNPAIRED_RETRY_MS = 15_000;

interface Slot {
  connection?: ServerConnection;
  probing: boolean;
  retryMs: number;
  nextAttemptAt: number;
  /** Why the server found there is not driven (not paired, or its proof failed); cleared once paired. */
  unpaired?: string;
}

/** One server as the popup shows it. */
export interface ServerStatus {
  readonly port: number;
  readonly state: 'connected' | 'connecting' | 'not found' | 'disconnected' | 'not paired';
  /** Only for a paired server: an unverified one could claim any id. */
  readonly instanceId?: string;
  /** What people call the instance (paired servers only). */
  readonly label?: string;
  /** Why a `not paired` server is not driven. */
  readonly reason?: string;
}

/**
 * Finds and keeps a connection to every browser-mcp server in the range: a HEAD probe, then a
 * WebSocket and `hello`; `portListResponse` names new ports at once. Rescans while any port of
 * the range is not connected, each with its own backoff.
 */
export class ConnectionManager {
  #range: PortRange = { start: 0, end: -1 };
  #disabled = new Set<number>();
  readonly #slots = new Map<number, Slot>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #started: Promise<void> | undefined;
  /** This browser's pairing key; without one no server is connected, only found. */
  #key: Uint8Array | undefined;

  /** Loads the settings and starts scanning; safe to call again. */
  start(): Promise<void> {
    this.#started ??= this.reload();
    return this.#started;
  }

  /** True when this browser profile is paired. */
  get paired(): boolean {
    return this.#key !== undefined;
  }

  /**
   * Closes every connection at once, before anything is awaited: a forgotten or changed pairing
   * must not leave a window in which the old key's servers are still driven. `reload` reconnects.
   */
  dropAll(): void {
    for (const slot of this.#slots.values()) slot.connection?.close();
  }

  /**
   * Re-reads the range, the disconnected ports and the pairing, dropping connections outside them.
   * A changed pairing (paired, unpaired, paired with another code) drops every connection: each
   * server must prove itself again with the new key, and none is driven with the old one.
   */
  async reload(): Promise<void> {
    const previousKey = this.#key;
    [this.#range, this.#disabled, this.#key] = await Promise.all([
      loadRange(),
      loadDisabledPorts(),
      loadPairingKey(),
    ]);
    const keyChanged = !sameKey(previousKey, this.#key);
    for (const [port, slot] of this.#slots) {
      if (keyChanged || !this.#inRange(port) || this.#disabled.has(port)) {
        slot.connection?.close();
        this.#slots.delete(port);
      }
    }
    for (let port = this.#range.start; port <= this.#range.end; port++) {
      if (!this.#disabled.has(port) && !this.#slots.has(port)) this.#slots.set(port, freshSlot());
    }
    this.#schedule(0);
  }

  /** The range and every port's state, for the popup. */
  status(): { range: PortRange; servers: ServerStatus[] } {
    const servers: ServerStatus[] = [];
    for (let port = this.#range.start; port <= this.#range.end; port++) {
      const slot = this.#slots.get(port);
      if (this.#disabled.has(port)) servers.push({ port, state: 'disconnected' });
      else if (slot?.connection?.ready) {
        servers.push({
          port,
          state: 'connected',
          ...(slot.connection.instanceId ? { instanceId: slot.connection.instanceId } : {}),
          ...(slot.connection.label ? { label: slot.connection.label } : {}),
        });
      } else if (slot?.unpaired !== undefined)
        servers.push({ port, state: 'not paired', reason: slot.unpaired });
      else if (slot?.connection) servers.push({ port, state: 'connecting' });
      else servers.push({ port, state: 'not found' });
    }
    return { range: this.#range, servers };
  }

  /** The popup's "disconnect": closes the server's socket and leaves it alone until `connect`. */
  async disconnect(port: number): Promise<void> {
    this.#disabled.add(port);
    await saveDisabledPorts(this.#disabled);
    await this.reload();
  }

  /** The popup's "connect": forgets an earlier disconnect and connects at once. */
  async connect(port: number): Promise<void> {
    this.#disabled.delete(port);
    await saveDisabledPorts(this.#disabled);
    await this.reload();
    this.#retrySoon(port);
  }

  #inRange(port: number): boolean {
    return port >= this.#range.start && port <= this.#range.end;
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#scan(), Math.max(0, delayMs));
  }

  #retrySoon(port: number): void {
    const slot = this.#slots.get(port);
    if (!slot || slot.connection || slot.probing) return;
    slot.retryMs = FIRST_RETRY_MS;
    slot.nextAttemptAt = 0;
    this.#schedule(0);
  }

  async #scan(): Promise<void> {
    const now = Date.now();
    const due = [...this.#slots].filter(
      ([, slot]) => !slot.connection && !slot.probing && slot.nextAttemptAt <= now,
    );
    await Promise.all(due.map(([port, slot]) => this.#attempt(port, slot)));
    this.#scheduleNext();
  }

  #scheduleNext(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const slot of this.#slots.values()) {
      if (!slot.connection && !slot.probing) next = Math.min(next, slot.nextAttemptAt);
    }
    if (Number.isFinite(next)) this.#schedule(next - Date.now());
  }

  async #attempt(port: number, slot: Slot): Promise<void> {
    slot.probing = true;
    const found = await probeServer(port);
    slot.probing = false;
    if (this.#slots.get(port) !== slot) return; // the range changed meanwhile
    if (!found) {
      slot.unpaired = undefined;
      this.#backOff(slot);
      return;
    }
    const key = this.#key;
    if (!key) {
      // Not paired: the server is listed as found but not paired, and never talked to.
      slot.unpaired = 'this browser is not paired: run `browser-mcp pair` and paste the code in Options';
      slot.nextAttemptAt = Date.now() + UNPAIRED_RETRY_MS;
      return;
    }
    slot.connection = new ServerConnection(port, key, {
      onReady: (connection) => {
        slot.retryMs = FIRST_RETRY_MS;
        slot.unpaired = undefined;
        if (connection.instanceId && connection.label)
          void setInstanceLabel(connection.instanceId, connection.label);
      },
      onUnpaired: (_connection, reason) => {
        slot.unpaired = reason;
        slot.retryMs = UNPAIRED_RETRY_MS;
      },
      onLabel: (connection) => {
        if (connection.instanceId && connection.label)
          void setInstanceLabel(connection.instanceId, connection.label);
      },
      onPorts: (ports) => {
        for (const listed of ports) if (this.#inRange(listed)) this.#retrySoon(listed);
      },
      onClose: (connection, wasReady) => {
        if (slot.connection === connection) slot.connection = undefined;
        // Let go of its tabs, unless the same instance is connected again meanwhile (a quick
        // disconnect and connect): detaching then would cut a command of the new connection.
        const instanceId = connection.instanceId;
        if (wasReady && instanceId && !this.#isConnected(instanceId)) void releaseInstance(instanceId);
        // A server that was there may come back on the same port at once (a restart).
        if (wasReady) slot.retryMs = FIRST_RETRY_MS;
        // A paired server that went: its port may soon hold another, not yet verified, server.
        if (wasReady) slot.unpaired = undefined;
        this.#backOff(slot);
        this.#scheduleNext();
      },
    });
  }

  #isConnected(instanceId: string): boolean {
    for (const slot of this.#slots.values()) {
      if (slot.connection?.ready && slot.connection.instanceId === instanceId) return true;
    }
    return false;
  }

  #backOff(slot: Slot): void {
    slot.nextAttemptAt = Date.now() + slot.retryMs;
    slot.retryMs = Math.min(slot.retryMs * 2, MAX_RETRY_MS);
  }
}

function sameKey(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function freshSlot(): Slot {
  return { probing: false, retryMs: FIRST_RETRY_MS, nextAttemptAt: 0 };
}
