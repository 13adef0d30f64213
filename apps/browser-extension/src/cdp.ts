/** A DevTools protocol endpoint commands can be sent to: a tab, or a frame of it in another process. */
export interface Cdp {
  /** Sends one DevTools command and resolves with its result. */
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Calls `listener` for each `method` event until the returned function is called. */
  on(method: string, listener: (params: Record<string, unknown>) => void): () => void;
}

/**
 * The next `method` event of `cdp`, or `timeoutError()` after `timeoutMs`; `cancel` stops waiting
 * (the promise then never settles). Works on a tab's session and a frame's alike.
 */
export function waitForEvent(
  cdp: Cdp,
  method: string,
  timeoutMs: number,
  timeoutError: () => Error,
): { readonly promise: Promise<Record<string, unknown>>; cancel(): void } {
  let off = (): void => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<Record<string, unknown>>((resolve, reject) => {
    off = cdp.on(method, (params) => {
      cancel();
      resolve(params);
    });
    timer = setTimeout(() => {
      cancel();
      reject(timeoutError());
    }, timeoutMs);
  });
  const cancel = (): void => {
    off();
    clearTimeout(timer);
  };
  promise.catch(() => {});
  return { promise, cancel };
}
