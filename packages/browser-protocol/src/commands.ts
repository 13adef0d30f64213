/**
 * The one table of commands between a browser-mcp server and its extension: for each command
 * `type`, the validator of its payload (which is also its type) and the decoder of its reply
 * (which reads the older extension's reply shapes too). The server sends exactly these, the
 * extension implements exactly these; both import them from here.
 *
 * The mixed names (`browser_navigate` beside `dom.click`) are the older extension's protocol,
 * which servers of this protocol still speak.
 */
import { ProtocolError } from './errors.js';
import { LIMITS } from './limits.js';
import {
  decodeAction,
  decodeConsole,
  decodeEvaluate,
  decodePage,
  decodeScreenshot,
  decodeSnapshot,
  decodeTabs,
  decodeWaitFor,
} from './replies.js';
import {
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

/** The element of the latest snapshot a command acts on. */
const target = {
  /** Exact element reference from the latest snapshot, e.g. `"s3e23"`. */
  ref: string({ min: 1 }),
  /** Human-readable description of the element, used in messages, e.g. `"Sign in button"`. */
  element: string({ min: 1 }),
};

/** An element of the page as the latest snapshot named it. */
export type ElementTarget = ObjectOf<typeof target>;

/** Modifier keys held during a click (`ControlOrMeta`: Meta on macOS, Control elsewhere). */
export const MODIFIERS = ['Alt', 'Control', 'ControlOrMeta', 'Meta', 'Shift'] as const;

/** The kinds of field `browser_fill_form` fills. */
export const FORM_FIELD_TYPES = ['textbox', 'checkbox', 'radio', 'combobox', 'slider'] as const;

/** One field of `browser_fill_form`: checkbox and radio take "true"/"false", a combobox its option's label. */
const formField = object({
  /** Human-readable name of the field, used in messages. */
  name: string({ min: 1 }),
  type: oneOf(FORM_FIELD_TYPES),
  ref: string({ min: 1 }),
  value: string({ max: LIMITS.maxTypeLength }),
});

/** One field of `browser_fill_form`. */
export type FormField = Infer<typeof formField>;

/** One command: how its payload is validated and how its reply is read. */
export interface CommandSpec<P, R> {
  readonly payload: Schema<P>;
  readonly reply: (payload: unknown) => R;
}

/**
 * Command `type` → its payload validator and reply decoder. Add a command here and the type
 * check fails until the extension implements it (`Handlers`).
 */
export const COMMANDS = {
  browser_navigate: { payload: object({ url: string({ min: 1 }) }), reply: decodePage },
  browser_go_back: { payload: object({}), reply: decodePage },
  browser_go_forward: { payload: object({}), reply: decodePage },
  /** `mode: "scaffold"` is what makes the older extension return a tree on real pages. */
  'snapshot.accessibility': { payload: object({ mode: optional(string()) }), reply: decodeSnapshot },
  'dom.click': {
    payload: object({
      ...target,
      /** Two clicks, as a double click (the page sees `dblclick`). */
      doubleClick: optional(boolean()),
      button: optional(oneOf(['left', 'right', 'middle'] as const)),
      modifiers: optional(array(oneOf(MODIFIERS), { max: MODIFIERS.length })),
    }),
    reply: decodeAction,
  },
  'dom.hover': { payload: object(target), reply: decodeAction },
  'dom.type': {
    payload: object({
      ...target,
      text: string({ max: LIMITS.maxTypeLength }),
      /** Press Enter after typing. */
      submit: optional(boolean()),
      /** One key event per character, for pages that listen to keys (default: the text at once). */
      slowly: optional(boolean()),
    }),
    reply: decodeAction,
  },
  'dom.select': {
    payload: object({ ...target, values: array(string(), { min: 1 }) }),
    reply: decodeAction,
  },
  'keyboard.press': { payload: object({ key: string({ min: 1 }) }), reply: decodeAction },
  'console.get': { payload: object({}), reply: decodeConsole },
  browser_screenshot: {
    payload: object({
      /** `png` (default) or `jpeg`. */
      type: optional(oneOf(['png', 'jpeg'] as const)),
      /** The whole page, not only the viewport. */
      fullPage: optional(boolean()),
      /** Only this element (with `element`). */
      ref: optional(string({ min: 1 })),
      element: optional(string({ min: 1 })),
    }),
    reply: decodeScreenshot,
  },
  browser_tabs: {
    payload: object({
      action: oneOf(['list', 'new', 'select', 'close'] as const),
      /** The tab to select or close (close: the active one when absent). */
      index: optional(number({ int: true, min: 0 })),
      /** The page a new tab opens (blank when absent). */
      url: optional(string({ min: 1 })),
    }),
    reply: decodeTabs,
  },
  browser_wait_for: {
    payload: object({
      /** Wait until this text is on the page. */
      text: optional(string({ min: 1 })),
      /** Wait until this text is gone from the page. */
      textGone: optional(string({ min: 1 })),
      /** Wait this many seconds (with neither text). */
      time: optional(number({ min: 0 })),
      /** How long the extension may wait, in ms. */
      timeoutMs: number({ min: 0, max: LIMITS.maxWaitMs }),
    }),
    reply: decodeWaitFor,
  },
  browser_handle_dialog: {
    payload: object({
      /** Accept (OK) or dismiss (Cancel) the open dialog. */
      accept: boolean(),
      /** The text a prompt answers with (accept only). */
      promptText: optional(string({ max: LIMITS.maxTypeLength })),
    }),
    reply: decodeAction,
  },
  browser_file_upload: {
    /** Absolute paths of the files (the server checked them); none cancels the chooser. */
    payload: object({ paths: array(string({ min: 1 }), { max: LIMITS.maxUploadFiles }) }),
    reply: decodeAction,
  },
  browser_fill_form: {
    payload: object({ fields: array(formField, { min: 1, max: LIMITS.maxFormFields }) }),
    reply: decodeAction,
  },
  browser_drag: {
    payload: object({
      startElement: string({ min: 1 }),
      startRef: string({ min: 1 }),
      endElement: string({ min: 1 }),
      endRef: string({ min: 1 }),
    }),
    reply: decodeAction,
  },
  browser_evaluate: {
    payload: object({
      /** A JavaScript function expression, e.g. `() => document.title` or `(el) => el.value`. */
      function: string({ min: 1, max: LIMITS.maxFunctionLength }),
      /** The element passed to the function (with `element`). */
      ref: optional(string({ min: 1 })),
      element: optional(string({ min: 1 })),
    }),
    reply: decodeEvaluate,
  },
  browser_mouse_click_xy: {
    /** Viewport CSS pixels. */
    payload: object({ x: number({ min: 0 }), y: number({ min: 0 }) }),
    reply: decodeAction,
  },
  browser_resize: {
    payload: object({
      width: number({ int: true, min: LIMITS.minViewportSide, max: LIMITS.maxViewportSide }),
      height: number({ int: true, min: LIMITS.minViewportSide, max: LIMITS.maxViewportSide }),
    }),
    reply: decodeAction,
  },
} as const satisfies Readonly<Record<string, CommandSpec<unknown, unknown>>>;

/** A command `type` the protocol defines. */
export type CommandType = keyof typeof COMMANDS;

/** Payload of each command `type`. */
export type CommandPayloads = { readonly [T in CommandType]: Infer<(typeof COMMANDS)[T]['payload']> };

/** Reply of each command `type`, as its decoder returns it (and as our extension sends it). */
export type CommandReplies = { readonly [T in CommandType]: ReturnType<(typeof COMMANDS)[T]['reply']> };

/** One command with its payload, typed together: `switch (command.type)` narrows the payload. */
export type AnyCommand = {
  readonly [T in CommandType]: { readonly type: T; readonly payload: CommandPayloads[T] };
}[CommandType];

/**
 * How an extension runs command `T` for a context (ours: the instance id): it gets the validated
 * payload and resolves with the reply, or throws a {@link ProtocolError} whose code crosses the wire.
 */
export type Handler<T extends CommandType, Context = string> = (
  context: Context,
  payload: CommandPayloads[T],
) => Promise<CommandReplies[T]>;

/** A handler for every command: an extension's table, checked complete by the type checker. */
export type Handlers<Context = string> = { readonly [T in CommandType]: Handler<T, Context> };

/** Every command `type` of the table, once each. */
export const COMMAND_TYPES = Object.keys(COMMANDS) as readonly CommandType[];

/** True when `type` is a command the protocol defines. */
export function isCommandType(type: unknown): type is CommandType {
  return typeof type === 'string' && Object.hasOwn(COMMANDS, type);
}

/**
 * Validates a payload of command `type`: resolves with it typed (fields the command does not
 * know dropped), or throws {@link ProtocolError} `EBADARGS` naming the field.
 *
 * @example
 * ```ts source="./index.examples.ts#parsePayload"
 * parsePayload('dom.click', { ref: 's1e2', element: 'OK' }); // { ref: 's1e2', element: 'OK' }
 * parsePayload('dom.click', { ref: 's1e2' }); // throws EBADARGS: 'element' must be a non-empty string
 * ```
 */
export function parsePayload<T extends CommandType>(type: T, payload: unknown): CommandPayloads[T] {
  return (COMMANDS[type].payload as Schema<CommandPayloads[T]>).parse(payload ?? {}, '');
}

/**
 * Reads the reply payload of command `type` (ours or the older extension's shape) as its typed
 * reply, or throws {@link ProtocolError}: `EFAILED` when the reply says it failed, `EBADREPLY`
 * when it cannot be read.
 *
 * @example
 * ```ts source="./index.examples.ts#decodeReply"
 * decodeReply('dom.click', { success: true }); // { message: 'Done.' }
 * decodeReply('dom.click', { success: false }); // throws EFAILED
 * ```
 */
export function decodeReply<T extends CommandType>(type: T, payload: unknown): CommandReplies[T] {
  const decode = COMMANDS[type].reply as (payload: unknown) => CommandReplies[T];
  try {
    return decode(payload);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError('EBADREPLY', `the reply could not be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * MCP tool name → the command it sends. Tools that never reach the extension (`browser_wait`,
 * `browser_instances`) are not here.
 *
 * @example
 * ```ts source="./index.examples.ts#TOOL_COMMANDS"
 * const type = TOOL_COMMANDS.browser_snapshot; // 'snapshot.accessibility'
 * ```
 */
export const TOOL_COMMANDS = {
  browser_navigate: 'browser_navigate',
  browser_go_back: 'browser_go_back',
  browser_go_forward: 'browser_go_forward',
  browser_snapshot: 'snapshot.accessibility',
  browser_click: 'dom.click',
  browser_hover: 'dom.hover',
  browser_type: 'dom.type',
  browser_select_option: 'dom.select',
  browser_press_key: 'keyboard.press',
  browser_get_console_logs: 'console.get',
  browser_screenshot: 'browser_screenshot',
  browser_tabs: 'browser_tabs',
  browser_wait_for: 'browser_wait_for',
  browser_handle_dialog: 'browser_handle_dialog',
  browser_file_upload: 'browser_file_upload',
  browser_fill_form: 'browser_fill_form',
  browser_drag: 'browser_drag',
  browser_evaluate: 'browser_evaluate',
  browser_mouse_click_xy: 'browser_mouse_click_xy',
  browser_resize: 'browser_resize',
} as const satisfies Readonly<Record<string, CommandType>>;

/** An MCP tool that sends a command to the extension. */
export type CommandToolName = keyof typeof TOOL_COMMANDS;

// Every command is some tool's: a command in COMMANDS that no tool sends fails this line.
type Unsent = Exclude<CommandType, (typeof TOOL_COMMANDS)[CommandToolName]>;
const everyCommandIsSent: [Unsent] extends [never] ? true : Unsent = true;
void everyCommandIsSent;
