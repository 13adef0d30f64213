import { ProtocolError } from '@ports/browser-protocol';
import { type Cdp, type EventListener, EventListeners } from './cdp.js';

/**
 * A child target of a tab we are attached to (an out-of-process iframe), reached through the
 * tab's debugger with its flat `sessionId` (Chrome 125+). Its events arrive through
 * {@link dispatchChildEvent}.
 */
export class ChildSession implements Cdp {
  readonly tabId: number;
  readonly sessionId: string;
  /** The target's id: for an iframe, the id of the frame it shows. */
  readonly targetId: string;
  /** The target's kind: `iframe`, or `worker` for a page's dedicated worker. */
  readonly type: string;
  readonly #events = new EventListeners();
  #attached = true;

  constructor(tabId: number, sessionId: string, targetId: string, type = 'iframe') {
    this.tabId = tabId;
    this.sessionId = sessionId;
    this.targetId = targetId;
    this.type = type;
    children.set(sessionId, this);
  }

  /** False once the target went away. */
  get attached(): boolean {
    return this.#attached;
  }

  async send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (!this.#attached)
      throw new ProtocolError('EDEBUGGER', 'The frame went away; take a new browser_snapshot.');
    try {
      return (await chrome.debugger.sendCommand(
        { tabId: this.tabId, sessionId: this.sessionId } as chrome.debugger.Debuggee,
        method,
        params,
      )) as T;
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      throw new ProtocolError('EDEBUGGER', `${method} failed in a frame: ${message}`, { cause: error });
    }
  }

  on(method: string, listener: EventListener): () => void {
    return this.#events.on(method, listener);
  }

  /** @internal Delivers one event. */
  emit(method: string, params: Record<string, unknown>): void {
    this.#events.emit(method, params);
  }

  /** The target detached (its frame navigated into our process, or went away). */
  markDetached(): void {
    this.#attached = false;
    children.delete(this.sessionId);
    this.emit('detached', {});
  }
}

const children = new Map<string, ChildSession>();

/** Routes an event of a child session; false when `sessionId` is none of ours. */
export function dispatchChildEvent(
  sessionId: string,
  method: string,
  params: Record<string, unknown>,
): boolean {
  const child = children.get(sessionId);
  if (!child) return false;
  child.emit(method, params);
  return true;
}

/** Forgets every child session of `tabId` (the tab's debugger went away). */
export function dropChildren(tabId: number): void {
  for (const child of [...children.values()]) if (child.tabId === tabId) child.markDetached();
}
