import type { BodyReply, NetworkRequestDetail, NetworkRequestSummary } from '@ports/browser-protocol';

function outcome(request: NetworkRequestSummary): string {
  if (request.failed !== undefined) return `failed (${request.failed})`;
  return request.status !== undefined ? String(request.status) : 'pending';
}

/** One request as one line: `[3] POST http://…/api => 201 (Fetch)`. */
function requestLine(request: NetworkRequestSummary): string {
  return `[${request.index}] ${request.method} ${request.url} => ${outcome(request)} (${request.type})`;
}

/** The list `browser_network_requests` answers, one request per line. */
export function requestsText(requests: readonly NetworkRequestSummary[], withStatic: boolean): string {
  if (requests.length === 0) {
    return withStatic
      ? 'No requests since the page was loaded.'
      : 'No requests since the page was loaded (images, fonts, scripts and styles show with static: true).';
  }
  return requests.map(requestLine).join('\n');
}

function headerLines(headers: Readonly<Record<string, string>> | undefined): string[] {
  const entries = Object.entries(headers ?? {});
  return entries.length === 0 ? ['  (none)'] : entries.map(([name, value]) => `  ${name}: ${value}`);
}

function bodyLines(body: BodyReply): string[] {
  if ('unavailable' in body) return [`(${body.unavailable})`];
  const lines = [body.text === '' ? '(empty)' : body.text];
  if (body.cut) lines.push(`[cut: the first ${body.cut.shown} of ${body.cut.total} characters are shown]`);
  return lines;
}

/** One request in full: its line, headers both ways, and its bodies. */
export function requestText(request: NetworkRequestDetail): string {
  const status = request.statusText ? ` ${request.statusText}` : '';
  const lines = [
    `${requestLine(request)}${status}`,
    'Request headers:',
    ...headerLines(request.requestHeaders),
  ];
  if (request.requestBody) lines.push('Request body:', ...bodyLines(request.requestBody));
  if (request.responseHeaders) lines.push('Response headers:', ...headerLines(request.responseHeaders));
  lines.push('Response body:', ...bodyLines(request.responseBody));
  return lines.join('\n');
}
