export {
  type AnyCommand,
  COMMAND_TYPES,
  COMMANDS,
  CONSOLE_LEVELS,
  type CommandPayloads,
  type CommandReplies,
  type CommandSpec,
  type CommandToolName,
  type CommandType,
  type ConsoleLevel,
  decodeReply,
  type ElementTarget,
  type Handler,
  type Handlers,
  isCommandType,
  parsePayload,
  TOOL_COMMANDS,
} from './commands.js';
export { ERROR_CODES, type ErrorCode, hintFor, isErrorCode, ProtocolError } from './errors.js';
export { LIMITS } from './limits.js';
export {
  type CommandMessage,
  DEFAULT_PORT_RANGE,
  type DiscoveryInfo,
  errorMessage,
  type HelloAckMessage,
  type HelloMessage,
  type PingMessage,
  type PortListRequestMessage,
  type PortListResponseMessage,
  type ReplyMessage,
  replyMessage,
  type WireResponseMessage,
} from './messages.js';
export {
  type BodyReply,
  decodeNetworkRequest,
  decodeNetworkRequests,
  type NetworkRequestDetail,
  type NetworkRequestSummary,
  type NetworkRequestsReply,
} from './network.js';
export { decodeChanges, type PageChanges, type TabChange } from './page-changes.js';
export { type ExtensionFrame, parseExtensionFrame } from './parse-extension-frame.js';
export { parseServerFrame, type ServerFrame } from './parse-server-frame.js';
export {
  type ActionReply,
  type ConsoleEntry,
  type ConsoleReply,
  consoleText,
  type DialogInfo,
  errorText,
  type FileChooserInfo,
  type PageReply,
  type ScreenshotReply,
  type SnapshotReply,
  type TabInfo,
  type TabsReply,
  type WaitForReply,
} from './replies.js';
export {
  array,
  boolean,
  type Infer,
  number,
  type ObjectOf,
  object,
  oneOf,
  optional,
  type Schema,
  string,
} from './schema.js';
