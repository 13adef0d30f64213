import { parseArgs } from 'node:util';
import { COMMANDS, type CommandName } from './commands-list.js';
import { usageError } from './errors.js';

/** What the command line asked for. */
export type Invocation =
  | { readonly kind: 'help'; readonly command?: CommandName }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'run';
      readonly command: CommandName;
      readonly instance: string | undefined;
      /** The positionals after the instance (`<dir>` of `share`, `<from-instance>` of `import-config`). */
      readonly args: readonly string[];
      readonly flags: Flags;
      /** The words after `--`, for a command that takes them (`mcp <instance> add <name> -- <command>…`). */
      readonly rest: readonly string[];
    };

/** Parsed options: a boolean, a string, or the strings of a repeatable option such as `--share`. */
export type Flags = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

interface CommandSpec {
  readonly options: Readonly<Record<string, { type: 'boolean' | 'string'; multiple?: boolean }>>;
  /** Whether `<instance>` is required, optional or not taken. */
  readonly instance: 'required' | 'optional' | 'none';
  /** Positionals after the instance: their names, `?` at the end of an optional one. */
  readonly more?: readonly string[];
  /** Whether words after `--` are taken as they are (a command line to record). */
  readonly rest?: boolean;
}

const bool = { type: 'boolean' } as const;
const text = { type: 'string' } as const;
const SPECS: Record<CommandName, CommandSpec> = {
  create: {
    options: { 'no-ports': bool, json: bool, share: { type: 'string', multiple: true } },
    instance: 'required',
  },
  list: { options: { json: bool }, instance: 'none' },
  start: {
    options: { json: bool, sandbox: text, 'pass-env': { type: 'string', multiple: true } },
    instance: 'required',
  },
  stop: { options: { timeout: text }, instance: 'required' },
  remove: { options: { yes: bool }, instance: 'required' },
  mcp: {
    options: { ports: bool, 'reset-ports': bool, offset: text, json: bool },
    instance: 'required',
    more: ['action?', 'name?'],
    rest: true,
  },
  ports: { options: { json: bool }, instance: 'optional' },
  share: { options: { 'read-only': bool }, instance: 'required', more: ['dir'] },
  unshare: { options: {}, instance: 'required', more: ['dir'] },
  'import-config': { options: { json: bool }, instance: 'required', more: ['from-instance?'] },
  move: { options: { to: text, json: bool }, instance: 'required' },
  logs: { options: { follow: bool, lines: text }, instance: 'required' },
  desktop: { options: { remove: bool }, instance: 'required' },
  login: { options: {}, instance: 'required' },
  'open-url': { options: {}, instance: 'none', more: ['url'] },
  doctor: { options: { json: bool }, instance: 'none' },
};

function isCommand(word: string | undefined): word is CommandName {
  return (COMMANDS as readonly string[]).includes(word ?? '');
}

/** Turns node's parseArgs messages into ours: one line naming the flag and where to look. */
function rephrase(error: unknown, where: string): Error {
  const { code, message } = error as { code?: string; message: string };
  const flag = /'(-[^' ]*)/.exec(message)?.[1];
  const help = `see '${where} --help'`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return usageError(`unknown option ${flag} for '${where}'; ${help}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/argument missing/.test(message)) return usageError(`option ${flag ?? ''} needs a value; ${help}`);
    if (/ambiguous/.test(message)) {
      // `--timeout -5`: a value that starts with a dash reads like another option.
      return usageError(
        `option ${flag ?? ''} needs a value; for one that starts with '-', write ${flag}=<value>; ${help}`,
      );
    }
    return usageError(`option ${flag ?? ''} takes no value; ${help}`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return usageError(`too many arguments for '${where}'; ${help}`);
  return usageError(`${message.split('\n')[0]}; ${help}`);
}

/**
 * Parses `argv` (without node and the script). Throws a `EUSAGE` {@link CmgrError} for anything it does
 * not understand, before any file is touched.
 */
export function parseInvocation(argv: readonly string[]): Invocation {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') return { kind: 'help' };
  if (first === '-V' || first === '--version') return { kind: 'version' };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { kind: 'help' };
    if (!isCommand(topic)) throw usageError(`unknown command '${topic}'; run 'cmgr --help' for the list`);
    return { kind: 'help', command: topic };
  }
  if (!isCommand(first)) {
    const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command '${first}'`;
    throw usageError(`${what}; run 'cmgr --help' for the list`);
  }
  const spec = SPECS[first];
  const where = `cmgr ${first}`;
  // A `--` after a positional starts the passed-through words; before any, it only ends the options
  // (`cmgr mcp --ports -- -odd-name`).
  const split = spec.rest
    ? rest.findIndex((word, i) => word === '--' && rest.slice(0, i).some((w) => !w.startsWith('-')))
    : -1;
  const own = split === -1 ? rest : rest.slice(0, split);
  const passthrough = split === -1 ? [] : rest.slice(split + 1);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...own],
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw rephrase(error, where);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help', command: first };
  const more = spec.more ?? [];
  const takesInstance = spec.instance !== 'none';
  const max = (takesInstance ? 1 : 0) + more.length;
  if (positionals.length > max) {
    throw usageError(`unexpected argument '${positionals[max]}' for '${where}'; see '${where} --help'`);
  }
  const instance = takesInstance ? positionals[0] : undefined;
  if (spec.instance === 'required' && instance === undefined) {
    throw usageError(`'${where}' needs an instance name; see '${where} --help'`);
  }
  const args = takesInstance ? positionals.slice(1) : positionals;
  const missing = more.find((name, index) => !name.endsWith('?') && args[index] === undefined);
  if (missing !== undefined) throw usageError(`'${where}' needs <${missing}>; see '${where} --help'`);
  return { kind: 'run', command: first, instance, args, flags: values as Flags, rest: passthrough };
}
