import type { CallToolResult } from '@modelcontextprotocol/server';
import {
  type CommandPayloads,
  type CommandReplies,
  type CommandType,
  hintFor,
  isErrorCode,
} from '@ports/browser-protocol';
import { z } from 'zod';
import type { SendOptions } from '../bridge.js';
import { BrowserMcpError } from '../errors.js';
import type { ListInstances } from '../instances.js';

/** Sends one command to the extension and resolves with its decoded reply (see `Bridge.send`). */
export type SendCommand = <T extends CommandType>(
  command: T,
  payload: CommandPayloads[T],
  options?: SendOptions,
) => Promise<CommandReplies[T]>;

/** The server's choices that change which tools exist or what they allow. */
export interface ToolSettings {
  /** Whether `browser_evaluate` is offered (`--no-evaluate` removes it). */
  readonly evaluate: boolean;
  /** Folders uploads must come from (`--upload-root`); empty: any absolute path. */
  readonly uploadRoots: readonly string[];
  /** Every action's reply ends with a snapshot of the page (`--snapshot-after-actions`). */
  readonly snapshotAfterActions: boolean;
}

/** The settings when the server was given no flags. */
export const DEFAULT_TOOL_SETTINGS: ToolSettings = {
  evaluate: true,
  uploadRoots: [],
  snapshotAfterActions: false,
};

/** What the tools need: a way to reach the extension, the registry's view, and the server's settings. */
export interface ToolDependencies {
  readonly send: SendCommand;
  readonly listInstances: ListInstances;
  readonly settings?: ToolSettings;
}

/** What one call of a tool gets besides its arguments. */
export interface ToolContext {
  /** Sends a command, cancelled with the MCP request; an extension error carries its hint. */
  readonly send: SendCommand;
  readonly listInstances: ListInstances;
  readonly settings: ToolSettings;
}

/** One MCP tool: its name, what a model reads about it, its input schema and what it does. */
export interface BrowserTool<Input extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly input: Input;
  /** The tool only reads (MCP `readOnlyHint`). */
  readonly readOnly?: boolean;
  /** The tool reaches the page or the web (MCP `openWorldHint`); true unless said otherwise. */
  readonly openWorld?: boolean;
  /**
   * The tool acts on the page: it takes `snapshot: true` (its input must be an object), and its
   * reply ends with a snapshot then, or always with `--snapshot-after-actions`.
   */
  readonly action?: boolean;
  /** Whether the server offers it with these settings (default: always). */
  readonly enabled?: (settings: ToolSettings) => boolean;
  readonly run: (args: z.infer<Input>, context: ToolContext) => Promise<CallToolResult>;
}

/**
 * Declares a tool, typing `run`'s arguments from its input schema. The SDK validates the
 * arguments against that schema before `run` sees them, so the result forgets the type and every
 * tool fits in one list.
 */
export function defineTool<Input extends z.ZodType>(tool: BrowserTool<Input>): BrowserTool {
  return tool as unknown as BrowserTool;
}

/** A text result. */
export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

/**
 * Runs a tool's work and turns any error into an `isError: true` tool result carrying its
 * message, so a failure reaches the model as words rather than as a protocol error.
 */
export async function withErrorsAsResults(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { isError: true, content: [{ type: 'text', text }] };
  }
}

/**
 * `send` whose extension errors end with what to try, chosen by their code (the protocol's
 * {@link hintFor}), applied once here for every tool.
 */
export function sendWithHints(send: SendCommand): SendCommand {
  return async (command, payload, options) => {
    try {
      return await send(command, payload, options);
    } catch (error) {
      if (!(error instanceof BrowserMcpError) || !isErrorCode(error.code)) throw error;
      const hint = hintFor(error.code, command);
      throw new BrowserMcpError(error.code, `${error.message.replace(/\.?$/, '.')} ${hint}`, {
        cause: error,
      });
    }
  };
}

const element = z
  .string()
  .min(1)
  .describe('Human-readable description of the element, e.g. "Sign in button"; used in messages');
const ref = z
  .string()
  .min(1)
  .describe('Exact element reference from the latest browser_snapshot, e.g. "s3e23"');

/** The `element` + `ref` pair every tool that acts on an element takes. */
export const target = { element, ref };
