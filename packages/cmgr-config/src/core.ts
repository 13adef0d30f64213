/**
 * `@ports/cmgr-config/core`: everything of this package that needs no schema library (zod), for programs
 * that must start fast: names, ranges and slots, the tool table, range choice, the instance environment,
 * finding Claude Desktop and its flags, launchers, and adopting the bash cmgr's state. The main entry
 * re-exports all of it.
 *
 * @example
 * ```ts
 * import { chooseRange, instanceEnvironment, KNOWN_TOOLS } from '@ports/cmgr-config/core';
 * ```
 *
 * @packageDocumentation
 */
export { type NewServer, offsetForNewServer } from './add.js';
export { type ChosenRange, chooseRange, portsInRange, type RangeChoice } from './choose.js';
export { splitCommand } from './command.js';
export {
  CLAUDE_DESKTOP_BINARY,
  CLAUDE_INSTALL_PLACES,
  type ClaudeSearch,
  type ClaudeSource,
  type FoundClaude,
  findClaudeDesktop,
  type LaunchFlagOptions,
  launchFlags,
} from './discover.js';
export {
  DESKTOP_ENV,
  DESKTOP_ENV_PREFIXES,
  type EnvironmentSources,
  instanceEnvironment,
  isDesktopVariable,
  type PassedVariable,
  parsePassEnv,
  xdgFolders,
} from './env.js';
export { CmgrConfigError, type CmgrConfigErrorCode } from './errors.js';
export {
  CLAUDE_URL_MIME,
  execWord,
  LAUNCHER_ICON,
  type LauncherOptions,
  launcherEntry,
  launcherFileName,
  URL_HANDLER_FILE,
  urlHandlerEntry,
  windowClass,
} from './launcher.js';
export {
  type AdoptedInstance,
  type Adoption,
  adoptBashState,
  type BashInstance,
  isBashRegistry,
} from './legacy.js';
export { INSTANCE_NAME_PATTERN, validateInstanceName } from './name.js';
export {
  DEFAULT_BASE_PORT,
  DEFAULT_RANGE_SIZE,
  firstFreeSlot,
  formatRange,
  instanceRange,
  MAX_PORT,
  type PortEnv,
  type PortRange,
  parsePortEnv,
  type RangeOptions,
  type ResolvedRangeOptions,
  rangesOverlap,
  resolveRangeOptions,
  slotForBase,
} from './range.js';
export { type Allocation, type GridSlot, gridSlot } from './slots.js';
export {
  KNOWN_TOOLS,
  MAX_TOOL_OFFSET,
  MIN_TOOL_OFFSET,
  recogniseTool,
  type ServerIdentity,
  type ToolOptions,
  type ToolSpec,
  toolEnvName,
} from './tools.js';
