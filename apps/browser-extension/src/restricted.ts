/** Schemes of pages Chrome never lets an extension's debugger attach to. */
const RESTRICTED_SCHEMES = [
  'chrome:',
  'chrome-extension:',
  'chrome-untrusted:',
  'devtools:',
  'edge:',
  'about:',
];
const WEB_STORE_HOSTS = ['chromewebstore.google.com'];

/**
 * Why Chrome will not let the debugger drive `url`, or undefined when it may. `about:blank` is
 * allowed: it is where a new tab starts.
 */
export function restrictedReason(url: string | undefined): string | undefined {
  if (url === undefined || url === '' || url === 'about:blank') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const webStore =
    WEB_STORE_HOSTS.includes(parsed.hostname) ||
    (parsed.hostname === 'chrome.google.com' && parsed.pathname.startsWith('/webstore'));
  if (RESTRICTED_SCHEMES.includes(parsed.protocol) || webStore) {
    return (
      `Chrome does not let extensions control ${parsed.protocol === 'https:' ? 'the Chrome Web Store' : `${parsed.protocol}// pages`} ` +
      `(${url}).`
    );
  }
  return undefined;
}
