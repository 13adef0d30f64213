import type { Cdp } from './cdp.js';

/** One request the page made, as far as the DevTools protocol told us. */
export interface NetworkEntry {
  readonly requestId: string;
  readonly method: string;
  readonly url: string;
  /** The DevTools resource type: Document, XHR, Fetch, Script, Stylesheet, Image, Font… */
  readonly type: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly postData?: string;
  readonly hasPostData: boolean;
  /**
   * The endpoint that saw it end (the tab, or a frame of another process): where its body is asked
   * for. A frame's own document request starts at its parent and ends in the frame.
   */
  source: Cdp;
  status?: number;
  statusText?: string;
  mimeType?: string;
  responseHeaders?: Readonly<Record<string, string>>;
  /** Why it failed (`net::ERR_…`), when it did. */
  failed?: string;
  /** The response body can be asked for (it finished loading, and no redirect replaced it). */
  finished: boolean;
}

/** Requests kept per page at most (the oldest go first). */
export const MAX_NETWORK_ENTRIES = 1_000;

/** Resource types that only show with `static: true`: images, fonts, scripts and styles. */
export const STATIC_TYPES: ReadonlySet<string> = new Set(['Image', 'Media', 'Font', 'Script', 'Stylesheet']);

/**
 * The requests of a tab since its top document's last navigation (its frames' too, those of other
 * processes through their own endpoints), from the Network domain's events: a new top-level
 * document request starts the list again.
 */
export class NetworkLog {
  readonly entries: NetworkEntry[] = [];
  /** Index 0 of `entries` is this request's number since the page was opened (the oldest dropped). */
  #dropped = 0;
  readonly #byId = new Map<string, NetworkEntry>();
  readonly #isMainFrame: (frameId: unknown) => boolean;

  /** `isMainFrame` says whether a frame id is the tab's top document. */
  constructor(isMainFrame: (frameId: unknown) => boolean) {
    this.#isMainFrame = isMainFrame;
  }

  /** Records the requests `cdp` reports; only the tab's own endpoint (`top`) starts the list again. */
  follow(cdp: Cdp, top: boolean): void {
    const isMainFrame = (frameId: unknown) => top && this.#isMainFrame(frameId);
    cdp.on('Network.requestWillBeSent', (p) => {
      const request = p.request as {
        url: string;
        method: string;
        headers?: Record<string, string>;
        postData?: string;
        hasPostData?: boolean;
      };
      const requestId = String(p.requestId);
      const redirect = p.redirectResponse as
        | { status?: number; statusText?: string; headers?: Record<string, string> }
        | undefined;
      const previous = this.#byId.get(requestId);
      if (redirect && previous) {
        previous.status = redirect.status;
        previous.statusText = redirect.statusText;
        previous.responseHeaders = redirect.headers ?? {};
      }
      if (p.type === 'Document' && p.requestId === p.loaderId && isMainFrame(p.frameId) && !redirect)
        this.clear();
      const entry: NetworkEntry = {
        requestId,
        method: request.method,
        url: request.url,
        type: String(p.type ?? 'Other'),
        requestHeaders: request.headers ?? {},
        ...(request.postData !== undefined ? { postData: request.postData } : {}),
        hasPostData: request.hasPostData === true || request.postData !== undefined,
        source: cdp,
        finished: false,
      };
      this.#byId.set(requestId, entry);
      this.entries.push(entry);
      if (this.entries.length > MAX_NETWORK_ENTRIES) {
        const gone = this.entries.splice(0, this.entries.length - MAX_NETWORK_ENTRIES);
        this.#dropped += gone.length;
        for (const old of gone) if (this.#byId.get(old.requestId) === old) this.#byId.delete(old.requestId);
      }
    });
    cdp.on('Network.responseReceived', (p) => {
      const entry = this.#byId.get(String(p.requestId));
      const response = p.response as {
        status?: number;
        statusText?: string;
        mimeType?: string;
        headers?: Record<string, string>;
      };
      if (!entry) return;
      entry.source = cdp;
      entry.status = response.status;
      entry.statusText = response.statusText;
      entry.mimeType = response.mimeType;
      entry.responseHeaders = response.headers ?? {};
    });
    cdp.on('Network.loadingFinished', (p) => {
      const entry = this.#byId.get(String(p.requestId));
      if (!entry) return;
      entry.finished = true;
      entry.source = cdp;
    });
    cdp.on('Network.loadingFailed', (p) => {
      const entry = this.#byId.get(String(p.requestId));
      if (entry) entry.failed = p.canceled === true ? 'canceled' : String(p.errorText ?? 'failed');
    });
  }

  /** The number a model uses for `entries[i]`: stable while the page stays. */
  indexOf(position: number): number {
    return this.#dropped + position;
  }

  /** The entry numbered `index`, if it is still kept. */
  at(index: number): NetworkEntry | undefined {
    return this.entries[index - this.#dropped];
  }

  clear(): void {
    this.#dropped = 0;
    this.entries.length = 0;
    this.#byId.clear();
  }
}
