/**
 * Whether a request carrying `origin` may use the bridge. No `Origin` means a local tool
 * (curl, a test, a native client): allowed. A browser always sends `Origin` on WebSocket
 * upgrades, so a web page the user visits is refused unless it is an extension or was
 * allowed explicitly with `--allow-origin`.
 */
export function isOriginAllowed(origin: string | undefined, allowOrigins: readonly string[]): boolean {
  if (origin === undefined) return true;
  const normalised = origin.toLowerCase();
  // Real extension ids are 32 letters a-p; any id is accepted so unpacked and test builds work.
  return /^chrome-extension:\/\/[\w-]+$/.test(normalised) || allowOrigins.includes(normalised);
}
