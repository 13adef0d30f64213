import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { DEFAULTS, parseOptions, parsePortRange } from './options.js';

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseOptions', () => {
  it('applies the defaults and generates an instance id', () => {
    const options = parseOptions([], {});
    expect(options).toMatchObject({
      command: 'serve',
      registryFile: DEFAULTS.registryFile,
      ports: { start: 8765, end: 8775 },
      host: '127.0.0.1',
      allowOrigins: [],
      commandTimeoutMs: 30_000,
    });
    if (options.command !== 'serve') throw new Error('serve expected');
    // pid, random hex and time: unique across processes and restarts.
    expect(options.instanceId).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{8}-[0-9a-z]+$`));
    expect((parseOptions([], {}) as typeof options).instanceId).not.toBe(options.instanceId);
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      BROWSER_MCP_REGISTRY: '/tmp/env.json',
      BROWSER_MCP_PORTS: '9000-9009',
      MCP_INSTANCE_ID: 'claude-desktop',
    };
    expect(parseOptions([], env)).toMatchObject({
      registryFile: '/tmp/env.json',
      ports: { start: 9000, end: 9009 },
      instanceId: 'claude-desktop',
    });
    expect(parseOptions(['--registry', '/tmp/flag.json', '--ports', '9100-9101'], env)).toMatchObject({
      registryFile: '/tmp/flag.json',
      ports: { start: 9100, end: 9101 },
    });
  });

  it('collects repeated --allow-origin values, lower-cased', () => {
    const options = parseOptions(
      ['--allow-origin', 'http://localhost:3000', '--allow-origin', 'HTTPS://Example.com'],
      {},
    );
    expect(options).toMatchObject({ allowOrigins: ['http://localhost:3000', 'https://example.com'] });
  });

  it('parses --host, --command-timeout, --help, --version and instances --json', () => {
    expect(parseOptions(['--host', '::1', '--command-timeout', '250'], {})).toMatchObject({
      host: '::1',
      commandTimeoutMs: 250,
    });
    expect(parseOptions(['--help'], {})).toEqual({ command: 'help' });
    expect(parseOptions(['-v'], {})).toEqual({ command: 'version' });
    expect(parseOptions(['instances', '--json'], { BROWSER_MCP_PORTS: '9000-9001' })).toEqual({
      command: 'instances',
      registryFile: DEFAULTS.registryFile,
      ports: { start: 9000, end: 9001 },
      host: '127.0.0.1',
      json: true,
    });
  });

  it.each([
    [['--ports', '9000'], {}, null],
    [['--ports', 'abc'], {}, "--ports must be <start>-<end> with ports 1-65535, got 'abc'"],
    [['--ports', '0-10'], {}, "--ports must be <start>-<end> with ports 1-65535, got '0-10'"],
    [['--ports', '9010-9000'], {}, "--ports start must not exceed its end, got '9010-9000'"],
    [
      [],
      { BROWSER_MCP_PORTS: '70000-70001' },
      "BROWSER_MCP_PORTS must be <start>-<end> with ports 1-65535, got '70000-70001'",
    ],
    [
      [],
      { MCP_INSTANCE_ID: 'has space' },
      "MCP_INSTANCE_ID must be 1-128 letters, digits or . _ : @ - characters, got 'has space'",
    ],
    [
      ['--allow-origin', 'example.com'],
      {},
      "--allow-origin must be an origin like https://example.com, got 'example.com'",
    ],
    [
      ['--allow-origin', 'https://a.com/'],
      {},
      "--allow-origin must be an origin like https://example.com, got 'https://a.com/'",
    ],
    [
      ['--command-timeout', '0'],
      {},
      "--command-timeout must be a whole number of milliseconds from 1 to 600000, got '0'",
    ],
    [
      ['--command-timeout', '1.5'],
      {},
      "--command-timeout must be a whole number of milliseconds from 1 to 600000, got '1.5'",
    ],
    [['--host', 'bad host'], {}, "--host must be an IP address or a host name, got 'bad host'"],
    [['--registry', ''], {}, "--registry must be a file path, got ''"],
    [['--bogus'], {}, "unknown option '--bogus' (see --help)"],
    [['--ports'], {}, null],
    [['serve'], {}, "unknown command 'serve' (the commands are 'pair' and 'instances'; see --help)"],
    [['instances', 'extra'], {}, "unexpected argument 'extra' (see --help)"],
    [['--json'], {}, "--json applies only to 'browser-mcp instances'"],
    [['instances', '--command-timeout', '5'], {}, "--command-timeout does not apply to 'instances'"],
    [
      ['--connect-timeout', 'soon'],
      {},
      "--connect-timeout must be a whole number of milliseconds from 1 to 600000, got 'soon'",
    ],
    [['--name', '  '], {}, '--name must be 1-60 printable characters, got "  "'],
    [['--name', 'a\nb'], {}, '--name must be 1-60 printable characters, got "a\\nb"'],
    [['--reset'], {}, "--reset applies only to 'browser-mcp pair'"],
    [['pair', '--ports', '9000-9001'], {}, "--ports does not apply to 'pair'"],
    [['pair', '--allow-unpaired'], {}, "--allow-unpaired does not apply to 'pair'"],
    [['instances', '--name', 'x'], {}, "--name does not apply to 'instances'"],
    [[], { BROWSER_MCP_PAIRING_FILE: '   ' }, "BROWSER_MCP_PAIRING_FILE must be a file path, got '   '"],
  ] as const)('rejects %j %j with one clear line', (argv, env, message) => {
    if (message === null && argv[1] === '9000') {
      // A single port is a range of one, not an error.
      expect(parseOptions(argv, env)).toMatchObject({ ports: { start: 9000, end: 9000 } });
      return;
    }
    const error = usageError(() => parseOptions(argv, env));
    expect(error.code).toBe('EUSAGE');
    expect(error.message).not.toContain('\n');
    if (message !== null) expect(error.message).toBe(message);
  });
});

describe('pairing options', () => {
  it('parses pair, pair --reset and the serve flags of pairing, with defaults', () => {
    const env = { BROWSER_MCP_PAIRING_FILE: '/tmp/x/pairing.json' };
    expect(parseOptions(['pair'], env)).toEqual({
      command: 'pair',
      pairingFile: '/tmp/x/pairing.json',
      reset: false,
    });
    expect(parseOptions(['pair', '--reset'], env)).toMatchObject({ command: 'pair', reset: true });
    expect(parseOptions([], env)).toMatchObject({
      command: 'serve',
      connectTimeoutMs: 10_000,
      allowUnpaired: false,
      name: undefined,
      pairingFile: '/tmp/x/pairing.json',
    });
    expect(
      parseOptions(['--connect-timeout', '2500', '--allow-unpaired', '--name', ' Work '], {
        XDG_CONFIG_HOME: '/cfg',
      }),
    ).toMatchObject({ connectTimeoutMs: 2500, allowUnpaired: true, name: 'Work' });
  });
});

describe('parsePortRange', () => {
  it('accepts spaces around the dash', () => {
    expect(parsePortRange(' 8765 - 8775 ')).toEqual({ start: 8765, end: 8775 });
  });
});
