/** What the server tells a client at `initialize`, besides its name and version. */
export const INSTRUCTIONS =
  "Drives the user's browser through the Browser MCP extension. Take a browser_snapshot before " +
  'clicking or typing: actions need the element refs it returns. browser_instances tells which port ' +
  'this server listens on.';

/** The capabilities the MCP SDK announces for a server with tools, as our early answer repeats them. */
export const CAPABILITIES = { tools: { listChanged: true } } as const;
