import { ProtocolError } from './errors.js';
import { checkFailure } from './replies.js';

/** One request of the page, as `browser_network_requests` lists it. */
export interface NetworkRequestSummary {
  /** What `browser_network_request` takes. */
  readonly index: number;
  readonly method: string;
  readonly url: string;
  /** The DevTools resource type: Document, XHR, Fetch, Script, Stylesheet, Image, Font… */
  readonly type: string;
  readonly status?: number;
  /** Why it failed (`net::ERR_…`), when it did. */
  readonly failed?: string;
}

/** A body in a reply: its text (cut where `cut` says), or why there is none. */
export type BodyReply =
  | { readonly text: string; readonly cut?: { readonly shown: number; readonly total: number } }
  | { readonly unavailable: string };

/** One request in full, as `browser_network_request` answers it. */
export interface NetworkRequestDetail extends NetworkRequestSummary {
  readonly statusText?: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody?: BodyReply;
  readonly responseHeaders?: Readonly<Record<string, string>>;
  readonly responseBody: BodyReply;
}

/** The requests since the page's last navigation. */
export interface NetworkRequestsReply {
  readonly requests: readonly NetworkRequestSummary[];
}

type Record_ = Record<string, unknown>;

function summaryOf(value: unknown): NetworkRequestSummary {
  if (typeof value !== 'object' || value === null)
    throw new ProtocolError('EBADREPLY', 'a request is not an object.');
  const r = value as Record_;
  if (typeof r.index !== 'number' || typeof r.url !== 'string' || typeof r.method !== 'string') {
    throw new ProtocolError('EBADREPLY', 'a request has no index, method or url.');
  }
  return {
    index: r.index,
    method: r.method,
    url: r.url,
    type: typeof r.type === 'string' ? r.type : 'Other',
    ...(typeof r.status === 'number' ? { status: r.status } : {}),
    ...(typeof r.failed === 'string' ? { failed: r.failed } : {}),
  };
}

function headersOf(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value as Record_).map(([name, v]) => [name, typeof v === 'string' ? v : String(v)]),
  );
}

function bodyOf(value: unknown): BodyReply {
  if (typeof value !== 'object' || value === null) return { unavailable: 'not sent' };
  const r = value as Record_;
  if (typeof r.text === 'string') {
    const cut = r.cut as Record_ | undefined;
    return typeof cut?.shown === 'number' && typeof cut.total === 'number'
      ? { text: r.text, cut: { shown: cut.shown, total: cut.total } }
      : { text: r.text };
  }
  return { unavailable: typeof r.unavailable === 'string' ? r.unavailable : 'not sent' };
}

/** `{requests: [{index, method, url, type, status?, failed?}]}`. */
export function decodeNetworkRequests(payload: unknown): NetworkRequestsReply {
  const record = checkFailure(payload);
  if (!Array.isArray(record.requests)) throw new ProtocolError('EBADREPLY', 'the reply has no requests.');
  return { requests: record.requests.map(summaryOf) };
}

/** One request with its headers and bodies. */
export function decodeNetworkRequest(payload: unknown): NetworkRequestDetail {
  const record = checkFailure(payload);
  const summary = summaryOf(record);
  return {
    ...summary,
    ...(typeof record.statusText === 'string' && record.statusText !== ''
      ? { statusText: record.statusText }
      : {}),
    requestHeaders: headersOf(record.requestHeaders),
    ...(record.requestBody !== undefined ? { requestBody: bodyOf(record.requestBody) } : {}),
    ...(record.responseHeaders !== undefined ? { responseHeaders: headersOf(record.responseHeaders) } : {}),
    responseBody: bodyOf(record.responseBody),
  };
}
