import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from '../context.js';
import { CmgrError, usageError } from '../errors.js';
import { note } from '../output.js';
import { checkInstanceName, sandboxPaths } from '../paths.js';
import { getInstance, readState } from '../state.js';

/** Lines printed without `--lines`. */
const DEFAULT_LINES = 100;
/** How often `--follow` looks for more output: a log file has no other way to say it grew. */
const POLL_MS = 250;

/** The last `count` lines of `text` (a final partial line counts). */
export function lastLines(text: string, count: number): string {
  if (count === 0 || text === '') return '';
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body.split('\n');
  return `${lines.slice(Math.max(0, lines.length - count)).join('\n')}\n`;
}

async function openLog(file: string): Promise<FileHandle | undefined> {
  try {
    return await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP')
      throw new CmgrError('ESYMLINK', `${file} is a symbolic link; cmgr will not read through it`);
    throw error;
  }
}

/** Writes to stdout and waits for it to drain, so a pipe reader gets everything in order. */
function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === '' || process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}

/** `cmgr logs <instance> [--follow] [--lines N]`: the instance's output (`<sandbox>/.cmgr/claude.log`). */
export async function logs({ instance, flags, paths }: Context): Promise<number> {
  const name = checkInstanceName(instance ?? '');
  let count = DEFAULT_LINES;
  if (flags.lines !== undefined) {
    const raw = String(flags.lines);
    if (!/^[0-9]+$/.test(raw)) throw usageError(`--lines must be a whole number, got ${JSON.stringify(raw)}`);
    count = Number(raw);
  }
  const record = getInstance(await readState(paths), name);
  const file = sandboxPaths(record.sandbox).log;
  let handle = await openLog(file);
  if (handle === undefined && flags.follow !== true) {
    note(`'${name}' has no output yet (${file}); 'cmgr start ${name}' writes it`);
    return 0;
  }
  let offset = 0;
  if (handle) {
    // Counted in the bytes read: text that is no UTF-8 decodes to more bytes than the file has.
    const bytes = await handle.readFile();
    offset = bytes.length;
    await write(lastLines(bytes.toString('utf8'), count));
  }
  if (flags.follow !== true) {
    await handle?.close();
    return 0;
  }
  // Until interrupted, as tail -f: a signal ends the process, and the handle with it.
  const buffer = Buffer.alloc(64 * 1024);
  // A read may end inside a character: the decoder keeps its first bytes for the next one.
  const decoder = new StringDecoder('utf8');
  for (;;) {
    handle ??= await openLog(file);
    if (handle) {
      const { size } = await handle.stat();
      if (size < offset) offset = 0; // truncated or replaced: start over
      while (offset < size) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        await write(decoder.write(buffer.subarray(0, bytesRead)));
      }
    }
    await sleep(POLL_MS);
  }
}
