/**
 * The one table of MCP tool → extension command. The server sends exactly these command `type`s
 * with these payloads; an extension implements exactly these. Both import it from here, so the two
 * cannot drift apart.
 */

/** An element of the page as the latest snapshot named it. */
export interface ElementTarget {
  /** Exact element reference from the latest snapshot, e.g. `"e23"`. */
  readonly ref: string;
  /** Human-readable description of the element, used in errors, e.g. `"Sign in button"`. */
  readonly element: string;
}

/** What a tab of the instance looks like in a `browser_tabs` reply. */
export interface TabInfo {
  /** Position among the instance's own tabs, from 0. */
  readonly index: number;
  readonly url: string;
  readonly title: string;
  /** The tab commands of this instance act on. */
  readonly active: boolean;
}

/** Payload of each command `type`, keyed by the `type` the server sends. */
export interface CommandPayloads {
  readonly browser_navigate: { readonly url: string };
  readonly browser_go_back: Record<string, never>;
  readonly browser_go_forward: Record<string, never>;
  /** `mode: "scaffold"` is what makes the older extension return a tree on real pages. */
  readonly 'snapshot.accessibility': { readonly mode: 'scaffold' };
  readonly 'dom.click': ElementTarget;
  readonly 'dom.hover': ElementTarget;
  readonly 'dom.type': ElementTarget & { readonly text: string; readonly submit: boolean };
  readonly 'dom.select': ElementTarget & { readonly values: readonly string[] };
  readonly 'keyboard.press': { readonly key: string };
  readonly 'console.get': Record<string, never>;
  readonly browser_screenshot: Record<string, never>;
  readonly browser_tabs: {
    readonly action: 'list' | 'new' | 'select' | 'close';
    /** The tab to select or close (close: the active one when absent). */
    readonly index?: number;
    /** The page a new tab opens (blank when absent). */
    readonly url?: string;
  };
  readonly browser_wait_for: {
    /** Wait until this text is on the page. */
    readonly text?: string;
    /** Wait until this text is gone from the page. */
    readonly textGone?: string;
    /** Wait this many seconds (with neither text). */
    readonly time?: number;
    /** How long the extension may wait, in ms (the server caps it at 30 s). */
    readonly timeoutMs: number;
  };
}

/** A command `type` the protocol defines. */
export type CommandType = keyof CommandPayloads;

/** One console message as an extension reports it (both shapes seen in the wild are accepted). */
export type ConsoleEntry =
  | { readonly type: string; readonly args: readonly unknown[]; readonly timestamp?: number }
  | { readonly level: string; readonly text: string; readonly timestamp?: number };

/** What an action (`dom.*`) answers: `success: true` only when it really happened. */
export interface ActionReply {
  readonly success: boolean | null;
  /** Why it failed, or what happened, in words. */
  readonly message?: string;
  readonly error?: string;
}

/** Reply payload of each command `type`. */
export interface CommandReplies {
  readonly browser_navigate: { readonly url?: string; readonly title?: string };
  readonly browser_go_back: { readonly url?: string; readonly title?: string };
  readonly browser_go_forward: { readonly url?: string; readonly title?: string };
  readonly 'snapshot.accessibility': {
    /** The page as text, each interactive node with its `[ref=…]`; `null` means no snapshot. */
    readonly snapshot: string | null;
    readonly url?: string;
    readonly title?: string;
  };
  readonly 'dom.click': ActionReply;
  readonly 'dom.hover': ActionReply;
  readonly 'dom.type': ActionReply;
  readonly 'dom.select': ActionReply;
  readonly 'keyboard.press': { readonly success?: boolean | null; readonly key?: string };
  readonly 'console.get': { readonly logs: readonly ConsoleEntry[] };
  /** Either a `data:` URL, or `data` (a `data:` URL or bare base64) with `mimeType`. */
  readonly browser_screenshot:
    | { readonly dataUrl: string }
    | { readonly data: string; readonly mimeType?: string };
  readonly browser_tabs: { readonly tabs: readonly TabInfo[] };
  readonly browser_wait_for: { readonly waitedMs: number; readonly found?: boolean };
}

/** How one MCP tool maps onto the wire. */
export interface ToolCommand {
  /** The command `type` sent to the extension. */
  readonly type: CommandType;
  /** Fields always added to the payload, after the tool's own arguments. */
  readonly fixed?: Readonly<Record<string, unknown>>;
}

/**
 * MCP tool name → the command it sends. Tools that never reach the extension (`browser_wait`,
 * `browser_instances`) are not here.
 *
 * @example
 * ```ts source="./index.examples.ts#TOOL_COMMANDS"
 * const { type, fixed } = TOOL_COMMANDS.browser_snapshot; // 'snapshot.accessibility', { mode: 'scaffold' }
 * ```
 */
export const TOOL_COMMANDS = {
  browser_navigate: { type: 'browser_navigate' },
  browser_go_back: { type: 'browser_go_back' },
  browser_go_forward: { type: 'browser_go_forward' },
  browser_snapshot: { type: 'snapshot.accessibility', fixed: { mode: 'scaffold' } },
  browser_click: { type: 'dom.click' },
  browser_hover: { type: 'dom.hover' },
  browser_type: { type: 'dom.type' },
  browser_select_option: { type: 'dom.select' },
  browser_press_key: { type: 'keyboard.press' },
  browser_get_console_logs: { type: 'console.get' },
  browser_screenshot: { type: 'browser_screenshot' },
  browser_tabs: { type: 'browser_tabs' },
  browser_wait_for: { type: 'browser_wait_for' },
} as const satisfies Readonly<Record<string, ToolCommand>>;

/** An MCP tool that sends a command to the extension. */
export type CommandToolName = keyof typeof TOOL_COMMANDS;

/** Every command `type` of the table, once each. */
export const COMMAND_TYPES: readonly CommandType[] = Object.values(TOOL_COMMANDS).map((entry) => entry.type);

/** True when `type` is a command the protocol defines. */
export function isCommandType(type: unknown): type is CommandType {
  return typeof type === 'string' && (COMMAND_TYPES as readonly string[]).includes(type);
}

/**
 * The payload a tool's arguments become on the wire: the arguments, then the table's fixed fields.
 *
 * @example
 * ```ts source="./index.examples.ts#commandFor"
 * commandFor('browser_snapshot', {}); // { type: 'snapshot.accessibility', payload: { mode: 'scaffold' } }
 * ```
 */
export function commandFor(
  tool: CommandToolName,
  args: Readonly<Record<string, unknown>>,
): { readonly type: CommandType; readonly payload: Readonly<Record<string, unknown>> } {
  const entry: ToolCommand = TOOL_COMMANDS[tool];
  return { type: entry.type, payload: { ...args, ...entry.fixed } };
}
