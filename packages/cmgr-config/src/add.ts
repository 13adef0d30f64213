import { CmgrConfigError, show } from './errors.js';
import {
  KNOWN_TOOLS,
  MAX_TOOL_OFFSET,
  MIN_TOOL_OFFSET,
  recogniseTool,
  type ServerIdentity,
  type ToolSpec,
} from './tools.js';

/** What {@link offsetForNewServer} decides from. */
export interface NewServer {
  /** The `mcpServers` key. */
  readonly server: string;
  /** Its command and arguments, so a known tool is recognised by its package too. */
  readonly identity: ServerIdentity;
  /** `--offset N` as given (a string from the command line), if any. */
  readonly requested?: string | undefined;
  /** Offsets other servers of the instance hold, by server. */
  readonly used: Readonly<Record<string, number>>;
  /** The tool table. Default {@link KNOWN_TOOLS}. */
  readonly tools?: readonly ToolSpec[];
}

/**
 * The port offset a server added by `cmgr mcp <instance> add` gets: a known tool its table offset; any
 * other server the `--offset` asked for, else the first offset of 10–99 that no other server of the
 * instance holds and no known tool owns.
 *
 * @throws {@link CmgrConfigError} `EINVALIDOPTION` naming `--offset` (not an integer in 10–99, owned by a
 * known tool, held by another server, or differing from a known tool's offset), `EOFFSETSEXHAUSTED` when
 * no offset is left.
 * @example
 * ```ts
 * offsetForNewServer({ server: 'memory', identity: {}, used: {} }); // 30
 * offsetForNewServer({ server: 'my-db', identity: {}, used: { 'other': 11 } }); // 12
 * ```
 */
export function offsetForNewServer(request: NewServer): number {
  const tools = request.tools ?? KNOWN_TOOLS;
  const tool = recogniseTool(request.server, request.identity, tools);
  const holder = (offset: number): string | undefined =>
    Object.entries(request.used).find(([server, used]) => used === offset && server !== request.server)?.[0];
  let asked: number | undefined;
  if (request.requested !== undefined) {
    if (!/^[0-9]+$/.test(request.requested)) {
      throw new CmgrConfigError(
        'EINVALIDOPTION',
        `--offset must be a whole number 10-99, got ${show(request.requested)}`,
      );
    }
    asked = Number(request.requested);
    if (asked < MIN_TOOL_OFFSET || asked > MAX_TOOL_OFFSET) {
      throw new CmgrConfigError(
        'EINVALIDOPTION',
        `--offset must be ${MIN_TOOL_OFFSET}-${MAX_TOOL_OFFSET}, got ${asked}`,
      );
    }
  }
  if (tool) {
    if (asked !== undefined && asked !== tool.offset) {
      throw new CmgrConfigError(
        'EINVALIDOPTION',
        `--offset ${asked}: ${show(request.server)} is the known tool ${tool.name}, whose offset is ${tool.offset}; leave --offset out`,
      );
    }
    const other = holder(tool.offset);
    if (other !== undefined) {
      throw new CmgrConfigError(
        'EINVALIDOPTION',
        `${show(request.server)} is the known tool ${tool.name} (offset ${tool.offset}), which server ${show(other)} already runs; remove that one first`,
      );
    }
    return tool.offset;
  }
  const owner = (offset: number): ToolSpec | undefined => tools.find((t) => t.offset === offset);
  if (asked !== undefined) {
    const known = owner(asked);
    if (known) {
      throw new CmgrConfigError(
        'EINVALIDOPTION',
        `--offset ${asked} belongs to the known tool ${known.name}; choose another`,
      );
    }
    const other = holder(asked);
    if (other !== undefined) {
      throw new CmgrConfigError(
        'EINVALIDOPTION',
        `--offset ${asked} is held by server ${show(other)}; choose another`,
      );
    }
    return asked;
  }
  for (let offset = MIN_TOOL_OFFSET; offset <= MAX_TOOL_OFFSET; offset += 1) {
    if (!owner(offset) && holder(offset) === undefined) return offset;
  }
  throw new CmgrConfigError(
    'EOFFSETSEXHAUSTED',
    `no free port offset in ${MIN_TOOL_OFFSET}-${MAX_TOOL_OFFSET} for server ${show(request.server)}; remove a server first`,
  );
}
