import { type BodyReply, type Handler, ProtocolError } from '@ports/browser-protocol';
import { type NetworkEntry, STATIC_TYPES } from '../network-log.js';
import { pageFor } from './context.js';

/** The most characters of a body a reply carries; the rest is cut and the reply says so. */
export const MAX_BODY_CHARS = 10_000;

/** `filter` as a RegExp, or a clear error. */
function filterOf(filter: string | undefined): RegExp | undefined {
  if (filter === undefined || filter === '') return undefined;
  try {
    return new RegExp(filter);
  } catch (error) {
    throw new ProtocolError(
      'EBADARGS',
      `filter ${JSON.stringify(filter)} is not a valid regular expression: ${(error as Error).message}. Fix it or leave filter out.`,
    );
  }
}

function summary(entry: NetworkEntry, index: number) {
  return {
    index,
    method: entry.method,
    url: entry.url,
    type: entry.type,
    ...(entry.status !== undefined ? { status: entry.status } : {}),
    ...(entry.failed !== undefined ? { failed: entry.failed } : {}),
  };
}

/**
 * `network.requests`: the requests since the page's last navigation, each with its index; images,
 * fonts, scripts and styles only with `static: true`; `filter` a regular expression on the URL.
 */
export const networkRequests: Handler<'browser_network_requests'> = async (instanceId, payload) => {
  const filter = filterOf(payload.filter);
  const withStatic = payload.static === true;
  const page = await pageFor(instanceId);
  const requests = page.network.entries
    .map((entry, position) => ({ entry, index: page.network.indexOf(position) }))
    .filter(({ entry }) => withStatic || !STATIC_TYPES.has(entry.type))
    .filter(({ entry }) => !filter || filter.test(entry.url))
    .map(({ entry, index }) => summary(entry, index));
  return { requests };
};

/** `text` cut to `max` characters, with what was cut. */
function capped(text: string, max: number): { text: string; cut?: { shown: number; total: number } } {
  if (text.length <= max) return { text };
  return { text: text.slice(0, max), cut: { shown: max, total: text.length } };
}

/** The response body as text: decoded when it is text, else its size. */
async function responseBody(entry: NetworkEntry): Promise<BodyReply> {
  if (entry.failed !== undefined) return { unavailable: `the request failed (${entry.failed})` };
  if (!entry.finished) return { unavailable: 'the response has not finished loading' };
  try {
    const { body, base64Encoded } = await entry.source.send<{ body: string; base64Encoded: boolean }>(
      'Network.getResponseBody',
      { requestId: entry.requestId },
    );
    if (!base64Encoded) return capped(body, MAX_BODY_CHARS);
    const bytes = Math.floor((body.length * 3) / 4);
    const textual = /^(text\/|application\/(json|javascript|xml|[\w.+-]+\+(json|xml)))/.test(
      entry.mimeType ?? '',
    );
    if (!textual)
      return { unavailable: `binary (${entry.mimeType ?? 'unknown type'}, about ${bytes} bytes)` };
    return capped(
      new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0))),
      MAX_BODY_CHARS,
    );
  } catch {
    return { unavailable: 'Chrome no longer holds the body (it keeps a limited amount per page)' };
  }
}

/** `network.request`: one request's headers both ways and its bodies, capped and marked where cut. */
export const networkRequest: Handler<'browser_network_request'> = async (instanceId, { index }) => {
  const page = await pageFor(instanceId);
  const entry = page.network.at(index);
  if (!entry) {
    throw new ProtocolError(
      'EBADARGS',
      `No request with index ${index} since the page's last navigation. List them with browser_network_requests.`,
    );
  }
  let requestBody: { text: string; cut?: { shown: number; total: number } } | undefined;
  if (entry.postData !== undefined) requestBody = capped(entry.postData, MAX_BODY_CHARS);
  else if (entry.hasPostData) {
    const posted = await entry.source
      .send<{ postData: string }>('Network.getRequestPostData', { requestId: entry.requestId })
      .catch(() => undefined);
    if (posted) requestBody = capped(posted.postData, MAX_BODY_CHARS);
  }
  return {
    ...summary(entry, index),
    ...(entry.statusText ? { statusText: entry.statusText } : {}),
    requestHeaders: entry.requestHeaders,
    ...(requestBody ? { requestBody } : {}),
    ...(entry.responseHeaders ? { responseHeaders: entry.responseHeaders } : {}),
    responseBody: await responseBody(entry),
  };
};
