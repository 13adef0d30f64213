/** The commands `cmgr` knows, in the order help lists them. */
export const COMMANDS = [
  'create',
  'list',
  'start',
  'stop',
  'remove',
  'mcp',
  'ports',
  'share',
  'unshare',
  'import-config',
  'move',
  'logs',
  'desktop',
  'login',
  'open-url',
  'doctor',
] as const;
/** One of {@link COMMANDS}. */
export type CommandName = (typeof COMMANDS)[number];
