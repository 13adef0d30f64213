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
  readonly 'snapshot.accessibility': {
    readonly mode: 'scaffold';
    /** Only the part of the page under this element (a ref of the latest snapshot). */
    readonly ref?: string;
    /** At most this many levels below the top (or `ref`); deeper parts end in `…`. */
    readonly depth?: number;
  };
  readonly 'dom.click': ElementTarget;
  readonly 'dom.hover': ElementTarget;
  readonly 'dom.type': ElementTarget & { readonly text: string; readonly submit: boolean };
  readonly 'dom.select': ElementTarget & { readonly values: readonly string[] };
  readonly 'keyboard.press': { readonly key: string };
  readonly 'console.get': {
    /** Only messages at this level or above. */
    readonly level?: ConsoleLevel;
  };
  readonly browser_network_requests: {
    /** Images, fonts, scripts and styles too. */
    readonly static?: boolean;
    /** A regular expression the URL must match. */
    readonly filter?: string;
  };
  readonly browser_network_request: {
    /** The request's index in `browser_network_requests`. */
    readonly index: number;
  };
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

/** Console levels, from the least severe: a filter keeps its level and those above. */
export const CONSOLE_LEVELS = ['debug', 'info', 'warning', 'error'] as const;

/** One of {@link CONSOLE_LEVELS}. */
export type ConsoleLevel = (typeof CONSOLE_LEVELS)[number];

/** A command `type` the protocol defines. */
export type CommandType = keyof CommandPayloads;

/** One console message as an extension reports it (both shapes seen in the wild are accepted). */
export type ConsoleEntry =
  | { readonly type: string; readonly args: readonly unknown[]; readonly timestamp?: number }
  | { readonly level: string; readonly text: string; readonly timestamp?: number };

/** A tab that opened or closed during an action: its index among the instance's tabs, and its URL. */
export interface TabChange {
  readonly index: number;
  readonly url: string;
}

/**
 * What an action changed, each field only when it did: the page's URL and title, tabs opened and
 * closed, errors the page logged or threw, and the dialogs, downloads and file choosers it opened.
 */
export interface PageChanges {
  readonly url?: string;
  readonly title?: string;
  readonly tabsOpened?: readonly TabChange[];
  readonly tabsClosed?: readonly TabChange[];
  readonly errors?: readonly string[];
  readonly dialogs?: readonly string[];
  readonly downloads?: readonly string[];
  readonly fileChoosers?: readonly string[];
}

/** What an action (`dom.*`) answers: `success: true` only when it really happened. */
export interface ActionReply {
  readonly success: boolean | null;
  /** Why it failed, or what happened, in words. */
  readonly message?: string;
  readonly error?: string;
  /** What the action changed; absent when nothing did. */
  readonly changes?: PageChanges;
}

/** One request of the page, as `browser_network_requests` lists it. */
export interface NetworkRequestSummary {
  /** What `browser_network_request` takes. */
  readonly index: number;
  readonly method: string;
  readonly url: string;
  /** The DevTools resource type: Document, XHR, Fetch, Script, Stylesheet, Image, Font… */
  readonly type: string;
  readonly status?: number;
  /** Why it failed (`net::ERR_…`), when it did. */
  readonly failed?: string;
}

/** A body in a reply: its text (cut where `cut` says), or why there is none. */
export type BodyReply =
  | { readonly text: string; readonly cut?: { readonly shown: number; readonly total: number } }
  | { readonly unavailable: string };

/** One request in full, as `browser_network_request` answers it. */
export interface NetworkRequestDetail extends NetworkRequestSummary {
  readonly statusText?: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody?: BodyReply;
  readonly responseHeaders?: Readonly<Record<string, string>>;
  readonly responseBody: BodyReply;
}

/** Reply payload of each command `type`. */
export interface CommandReplies {
  readonly browser_navigate: {
    readonly url?: string;
    readonly title?: string;
    readonly changes?: PageChanges;
  };
  readonly browser_go_back: {
    readonly url?: string;
    readonly title?: string;
    readonly changes?: PageChanges;
  };
  readonly browser_go_forward: {
    readonly url?: string;
    readonly title?: string;
    readonly changes?: PageChanges;
  };
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
  readonly browser_network_requests: { readonly requests: readonly NetworkRequestSummary[] };
  readonly browser_network_request: NetworkRequestDetail;
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
 * ```ts
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
  browser_network_requests: { type: 'browser_network_requests' },
  browser_network_request: { type: 'browser_network_request' },
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
 * ```ts
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
