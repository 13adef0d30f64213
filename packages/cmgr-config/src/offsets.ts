import { CmgrConfigError, show } from './errors.js';
import { keyNamesTool, MAX_TOOL_OFFSET, MIN_TOOL_OFFSET, type ToolSpec } from './tools.js';

/** Offsets given to an instance's servers, by `mcpServers` key. Callers persist it and pass it back. */
export type OffsetMap = Readonly<Record<string, number>>;

/** One server to place: its key and the known tool it runs, if any. */
export interface OffsetRequest {
  readonly server: string;
  readonly tool: ToolSpec | undefined;
}

/**
 * Gives every server of one instance a distinct offset in 10..99.
 *
 * - A known tool gets its fixed offset. When two servers run the same known tool, the one already recorded
 *   there keeps it, else the one whose key names the tool, else the first key in sort order; the others are
 *   placed like unknown tools. When the holder goes, the next copy moves to the fixed offset: a known tool's
 *   documented port wins over a recorded one (that is the only move, and only into a vacated offset).
 * - Another server keeps its recorded offset when that is still free and not a known tool's; otherwise it
 *   gets a stable preference hashed from its key, then the next free offset, wrapping within 10..99. Known
 *   tools' offsets are never given away, even when that tool is not configured, so adding it later moves
 *   nothing. Offsets recorded for servers that are not in `requests` are passed over too, as long as
 *   others are free: a server removed and added back gets its offset again.
 *
 * Keys are processed in sort order, so the result does not depend on the order of `mcpServers` in the file.
 *
 * @throws {@link CmgrConfigError} `EOFFSETSEXHAUSTED` when there are more servers than free offsets;
 * `EINVALIDOPTION` for a recorded offset that is not an integer in 10..99.
 */
export function assignOffsets(
  requests: readonly OffsetRequest[],
  recorded: OffsetMap,
  tools: readonly ToolSpec[],
): Map<string, number> {
  const valid = checkRecorded(recorded);
  const reserved = new Set(tools.map((tool) => tool.offset));
  const sorted = [...requests].sort((a, b) => compare(a.server, b.server));
  const assigned = new Map<string, number>();
  const taken = new Set<number>();
  const give = (server: string, offset: number): void => {
    assigned.set(server, offset);
    taken.add(offset);
  };

  const rank = (request: OffsetRequest, tool: ToolSpec): number => {
    if (valid.get(request.server) === tool.offset) return 0;
    return keyNamesTool(request.server, tool) ? 1 : 2;
  };
  const others: string[] = [];
  for (const tool of tools) {
    const holders = sorted
      .filter((request) => request.tool === tool)
      .sort((a, b) => rank(a, tool) - rank(b, tool) || compare(a.server, b.server));
    const [first, ...rest] = holders;
    if (first) give(first.server, tool.offset);
    others.push(...rest.map((request) => request.server));
  }
  others.push(...sorted.filter((request) => request.tool === undefined).map((request) => request.server));
  others.sort(compare);

  const unplaced: string[] = [];
  for (const server of others) {
    const offset = valid.get(server);
    if (offset !== undefined && !reserved.has(offset) && !taken.has(offset)) give(server, offset);
    else unplaced.push(server);
  }

  // Offsets recorded for servers not configured now stay theirs while others are free, so one that
  // comes back finds its port, and the server that took its place does not have to move.
  const present = new Set(requests.map((request) => request.server));
  const absent = new Set([...valid].filter(([server]) => !present.has(server)).map(([, offset]) => offset));
  const span = MAX_TOOL_OFFSET - MIN_TOOL_OFFSET + 1;
  const place = (server: string, avoidAbsent: boolean): boolean => {
    const preferred = stableHash(server) % span;
    for (let step = 0; step < span; step += 1) {
      const offset = MIN_TOOL_OFFSET + ((preferred + step) % span);
      if (!reserved.has(offset) && !taken.has(offset) && !(avoidAbsent && absent.has(offset))) {
        give(server, offset);
        return true;
      }
    }
    return false;
  };
  for (const server of unplaced) {
    if (!place(server, true) && !place(server, false)) {
      throw new CmgrConfigError(
        'EOFFSETSEXHAUSTED',
        `no free port offset for server ${show(server)}: one instance holds at most ${span - reserved.size} ` +
          `tools besides the ${reserved.size} known ones; remove some servers from mcpServers`,
      );
    }
  }
  return assigned;
}

/**
 * A 32-bit FNV-1a hash of the UTF-16 code units of `text`: the same on every platform and Node version,
 * which is all a stable offset preference needs.
 */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function checkRecorded(recorded: OffsetMap): Map<string, number> {
  if (typeof recorded !== 'object' || recorded === null || Array.isArray(recorded)) {
    throw new CmgrConfigError('EINVALIDOPTION', `option offsets must be an object, got ${show(recorded)}`);
  }
  const valid = new Map<string, number>();
  for (const [server, offset] of Object.entries(recorded)) {
    if (!Number.isInteger(offset) || offset < MIN_TOOL_OFFSET || offset > MAX_TOOL_OFFSET) {
      throw new CmgrConfigError(
        'EINVALIDOPTION',
        `option offsets: ${show(server)} has ${show(offset)}; offsets are integers ${MIN_TOOL_OFFSET}-${MAX_TOOL_OFFSET}`,
      );
    }
    valid.set(server, offset);
  }
  return valid;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
