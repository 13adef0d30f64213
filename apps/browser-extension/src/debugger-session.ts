import { ProtocolError } from '@ports/browser-protocol';
import { type Cdp, type EventListener, EventListeners } from './cdp.js';
import { dispatchChildEvent, dropChildren } from './child-session.js';
import { restrictedReason } from './restricted.js';

/** The DevTools protocol version `chrome.debugger` speaks. */
const PROTOCOL_VERSION = '1.3';

/**
 * One tab driven through `chrome.debugger`: commands, and the events the tab sends. Events reach
 * a session through {@link dispatchDebuggerEvent}, which the service worker registers at its top
 * level (MV3: listeners must exist before the first await).
 */
export class DebuggerSession implements Cdp {
  readonly tabId: number;
  readonly #events = new EventListeners();
  #attached = false;

  private constructor(tabId: number) {
    this.tabId = tabId;
  }

  /** False once we or Chrome detached from the tab. */
  get attached(): boolean {
    return this.#attached;
  }

  /** Attaches to `tabId` (again, when a previous service worker left it attached). */
  static async attach(tabId: number, url: string | undefined): Promise<DebuggerSession> {
    const reason = restrictedReason(url);
    if (reason) throw new ProtocolError('ERESTRICTED', reason);
    const session = new DebuggerSession(tabId);
    try {
      await chrome.debugger.attach({ tabId }, PROTOCOL_VERSION);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      if (!/already attached/i.test(message)) throw attachError(url, message, error);
      // Ours, from before the service worker restarted: start over so domains are enabled anew.
      await chrome.debugger.detach({ tabId }).catch(() => {});
      await chrome.debugger.attach({ tabId }, PROTOCOL_VERSION).catch((again: Error) => {
        throw attachError(url, again.message, again);
      });
    }
    session.#attached = true;
    sessions.set(tabId, session);
    return session;
  }

  /** Sends one DevTools command and resolves with its result. */
  async send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (!this.#attached) throw new ProtocolError('EDEBUGGER', 'The debugger was detached from the tab.');
    try {
      return (await chrome.debugger.sendCommand({ tabId: this.tabId }, method, params)) as T;
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      throw new ProtocolError('EDEBUGGER', `${method} failed: ${message}`, { cause: error });
    }
  }

  /** Calls `listener` for each `method` event until the returned function is called. */
  on(method: string, listener: EventListener): () => void {
    return this.#events.on(method, listener);
  }

  /** Resolves with the next `method` event matching `predicate`, or rejects after `timeoutMs`. */
  waitFor(
    method: string,
    timeoutMs: number,
    timeoutError: () => Error,
    predicate: (params: Record<string, unknown>) => boolean = () => true,
  ): { readonly promise: Promise<Record<string, unknown>>; cancel(): void } {
    let off = (): void => {};
    let offDetached = (): void => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    const promise = new Promise<Record<string, unknown>>((resolve, reject) => {
      off = this.on(method, (params) => {
        if (!predicate(params)) return;
        cleanup();
        resolve(params);
      });
      // The tab closed, or DevTools took it over: nothing more will come.
      offDetached = this.on('detached', () => {
        cleanup();
        reject(new ProtocolError('EDEBUGGER', 'The tab was closed, or the debugger was detached from it.'));
      });
      timer = setTimeout(() => {
        cleanup();
        reject(timeoutError());
      }, timeoutMs);
    });
    const cleanup = (): void => {
      off();
      offDetached();
      clearTimeout(timer);
    };
    promise.catch(() => {});
    return { promise, cancel: cleanup };
  }

  /** Detaches from the tab; never throws. */
  async detach(): Promise<void> {
    if (!this.#attached) return;
    this.#attached = false;
    sessions.delete(this.tabId);
    dropChildren(this.tabId);
    await chrome.debugger.detach({ tabId: this.tabId }).catch(() => {});
  }

  /** @internal Delivers one event. */
  emit(method: string, params: Record<string, unknown>): void {
    this.#events.emit(method, params);
  }

  /** @internal The tab went away or Chrome detached us. */
  markDetached(): void {
    this.#attached = false;
    sessions.delete(this.tabId);
    dropChildren(this.tabId);
    this.emit('detached', {});
  }
}

const sessions = new Map<number, DebuggerSession>();

/** The session attached to `tabId`, if any. */
export function sessionOf(tabId: number): DebuggerSession | undefined {
  return sessions.get(tabId);
}

/** Routes a `chrome.debugger.onEvent` to its session. */
export function dispatchDebuggerEvent(
  source: chrome.debugger.Debuggee,
  method: string,
  params?: object,
): void {
  if (source.tabId === undefined) return;
  const sessionId = (source as { sessionId?: string }).sessionId;
  const fields = (params ?? {}) as Record<string, unknown>;
  const tab = sessionId === undefined ? sessions.get(source.tabId) : undefined;
  tab?.emit(method, fields);
  const heard = sessionId !== undefined ? dispatchChildEvent(sessionId, method, fields) : tab !== undefined;
  if (!heard && method === 'Target.attachedToTarget') resumeUnheard(source.tabId, fields);
}

/**
 * A frame or worker that started paused for a parent nobody listens to any more (the service
 * worker restarted while the tab stayed attached): let it run, never leave the page hanging.
 */
export function resumeUnheard(tabId: number, params: Record<string, unknown>): void {
  const sessionId = params.sessionId;
  if (params.waitingForDebugger !== true || typeof sessionId !== 'string') return;
  void chrome.debugger
    .sendCommand({ tabId, sessionId } as chrome.debugger.Debuggee, 'Runtime.runIfWaitingForDebugger')
    .catch(() => {});
}

/** Routes a `chrome.debugger.onDetach` to its session. */
export function dispatchDebuggerDetach(source: chrome.debugger.Debuggee): void {
  if (source.tabId === undefined) return;
  sessions.get(source.tabId)?.markDetached();
}

function attachError(url: string | undefined, message: string, cause: unknown): ProtocolError {
  if (/cannot access|cannot attach|chrome:\/\/|chrome-extension/i.test(message)) {
    return new ProtocolError(
      'ERESTRICTED',
      `Chrome does not let extensions control this page${url ? ` (${url})` : ''}: ${message}.`,
      { cause },
    );
  }
  return new ProtocolError('EDEBUGGER', `Could not attach the debugger to the tab: ${message}`, { cause });
}
