export {
  type ActionReply,
  COMMAND_TYPES,
  type CommandPayloads,
  type CommandReplies,
  type CommandToolName,
  type CommandType,
  type ConsoleEntry,
  commandFor,
  type ElementTarget,
  isCommandType,
  type TabInfo,
  TOOL_COMMANDS,
  type ToolCommand,
} from './commands.js';
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
export { type ExtensionFrame, errorText, parseExtensionFrame } from './parse-extension-frame.js';
export { parseServerFrame, type ServerFrame } from './parse-server-frame.js';
