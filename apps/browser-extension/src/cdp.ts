/** A DevTools protocol endpoint commands can be sent to: a tab, or a frame of it in another process. */
export interface Cdp {
  /** Sends one DevTools command and resolves with its result. */
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Calls `listener` for each `method` event until the returned function is called. */
  on(method: string, listener: (params: Record<string, unknown>) => void): () => void;
}
