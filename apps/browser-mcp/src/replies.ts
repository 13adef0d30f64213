import type { CallToolResult } from '@modelcontextprotocol/server';
import { type CommandType, errorText } from '@ports/browser-protocol';
import { changeLines, changesOf } from './change-text.js';
import { BrowserMcpError } from './errors.js';

/** What to try after each kind of failure, so a model knows its next step. */
const HINTS: Partial<Record<CommandType, string>> = {
  'snapshot.accessibility':
    'Make sure the tab shows a normal web page (not chrome:// or the Web Store), then try again.',
  'dom.click': 'Take a new browser_snapshot and use a ref from it.',
  'dom.hover': 'Take a new browser_snapshot and use a ref from it.',
  'dom.type': 'Take a new browser_snapshot and check that the ref is an editable field.',
  'dom.select': 'Take a new browser_snapshot and check the ref and the option values or labels.',
  browser_navigate: 'Check the URL and that the extension’s tab is open, then try again.',
};

const DEFAULT_HINT = 'Check the browser extension’s tab, then try again.';

/**
 * Adds what to try to an error reply (`{id, error}`) whose text does not already say it, so a
 * model always learns its next step.
 */
export async function withHint<T>(command: CommandType, sending: Promise<T>): Promise<T> {
  try {
    return await sending;
  } catch (error) {
    if (!(error instanceof BrowserMcpError) || error.code !== 'EEXTENSION') throw error;
    if (/browser_\w+|try again/i.test(error.message.slice(error.message.indexOf(':')))) throw error;
    throw new BrowserMcpError(
      'EEXTENSION',
      `${error.message.replace(/\.?$/, '.')} ${HINTS[command] ?? DEFAULT_HINT}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Reads one reply payload as the tool's result, or throws `EEXTENSION` when the payload says the
 * command failed: an `error` field, `success: false` or `null`, or a snapshot of `null`. A model is
 * never told that something happened when the extension says it did not.
 */
export function interpretReply(command: CommandType, payload: unknown): CallToolResult {
  const failure = failureOf(command, payload);
  if (failure !== undefined) {
    throw new BrowserMcpError(
      'EEXTENSION',
      `The browser extension could not do '${command}': ${failure} ${HINTS[command] ?? DEFAULT_HINT}`,
    );
  }
  return { content: [{ type: 'text', text: describePayload(command, payload) }] };
}

/** Why the payload is a failure, in words, or undefined when it is not one. */
function failureOf(command: CommandType, payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const record = payload as Record<string, unknown>;
  const said = saidText(record);
  if (record.error !== undefined && record.error !== null && record.error !== false) {
    return `${errorText(record.error)}.`;
  }
  if ('success' in record && record.success !== true) {
    const outcome = record.success === false ? 'it did not succeed' : 'it could not confirm the action';
    return said ? `${said} (${outcome}).` : `${outcome}.`;
  }
  if (command === 'snapshot.accessibility' && typeof record.snapshot !== 'string') {
    return said ? `${said} (no snapshot).` : 'it returned no snapshot of the page.';
  }
  return undefined;
}

function saidText(record: Record<string, unknown>): string | undefined {
  for (const key of ['message', 'reason', 'text'] as const) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * A reply as text a model can read: a snapshot with its page's URL and title, console logs one per
 * line, `text` as is, url and title of a page, anything else as JSON.
 */
export function describePayload(command: CommandType, payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (typeof payload !== 'object' || payload === null) return JSON.stringify(payload) ?? 'Done.';
  const record = payload as Record<string, unknown>;
  if (typeof record.snapshot === 'string') {
    const header = pageHeader(record);
    return header ? `${header}\n${record.snapshot}` : record.snapshot;
  }
  if (Array.isArray(record.logs)) return describeLogs(record.logs);
  if (typeof record.text === 'string') return record.text;
  const changes = changeLines(changesOf(record));
  if (command === 'browser_navigate' || command === 'browser_go_back' || command === 'browser_go_forward') {
    const header = pageHeader(record);
    if (header) return [header, ...changes].join('\n');
  }
  if (record.success === true && typeof record.message === 'string')
    return [record.message, ...changes].join('\n');
  return Object.keys(record).length === 0 ? 'Done.' : JSON.stringify(record, null, 2);
}

function pageHeader(record: Record<string, unknown>): string {
  return [
    typeof record.url === 'string' && record.url !== '' && `- Page URL: ${record.url}`,
    typeof record.title === 'string' && record.title !== '' && `- Page Title: ${record.title}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Console entries, `{type, args}` or `{level, text}`, as `[error] message` lines. */
export function describeLogs(logs: readonly unknown[]): string {
  if (logs.length === 0) return 'No console messages.';
  return logs.map(describeLog).join('\n');
}

function describeLog(entry: unknown): string {
  if (typeof entry !== 'object' || entry === null) return `[log] ${renderValue(entry)}`;
  const { level, type, text, message, args } = entry as Record<string, unknown>;
  const kind = typeof type === 'string' ? type : typeof level === 'string' ? level : 'log';
  let body: string;
  if (Array.isArray(args)) body = args.map(renderValue).join(' ');
  else if (text !== undefined) body = renderValue(text);
  else if (message !== undefined) body = renderValue(message);
  else body = renderValue(entry);
  return `[${kind}] ${body}`;
}

/** A console value as a person would read it: strings bare, objects as compact JSON. */
function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
