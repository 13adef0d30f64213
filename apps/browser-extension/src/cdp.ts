/** A DevTools protocol endpoint commands can be sent to: a tab, or a frame of it in another process. */
export interface Cdp {
  /** Sends one DevTools command and resolves with its result. */
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Calls `listener` for each `method` event until the returned function is called. */
  on(method: string, listener: (params: Record<string, unknown>) => void): () => void;
}

/** A DevTools event's listener. */
export type EventListener = (params: Record<string, unknown>) => void;

/** The listeners of an endpoint's events, by method: what {@link Cdp.on} adds to. */
export class EventListeners {
  readonly #byMethod = new Map<string, Set<EventListener>>();

  /** Calls `listener` for each `method` event until the returned function is called. */
  on(method: string, listener: EventListener): () => void {
    let set = this.#byMethod.get(method);
    if (!set) {
      set = new Set();
      this.#byMethod.set(method, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Delivers one event to the listeners it has now (one that stops listening meanwhile still gets it). */
  emit(method: string, params: Record<string, unknown>): void {
    for (const listener of [...(this.#byMethod.get(method) ?? [])]) listener(params);
  }
}
