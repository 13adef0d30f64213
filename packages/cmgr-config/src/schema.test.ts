import { describe, expect, it } from 'vitest';
import { catchError } from '../test/catch-error.js';
import { formatPath, parseClaudeConfig } from './schema.js';

describe('parseClaudeConfig', () => {
  it('accepts a config with unknown keys everywhere and returns it unchanged', () => {
    const text = JSON.stringify({
      globalShortcut: 'Ctrl+Space',
      mcpServers: {
        fs: { command: 'npx', args: ['-y', 'x'], env: { A: 'b' }, disabled: true, nested: { deep: [1] } },
        bare: { command: 'node' },
      },
      preferences: { theme: 'dark' },
    });
    const config = parseClaudeConfig(text);
    expect(JSON.stringify(config)).toBe(text);
  });

  it('accepts a config without mcpServers, and an already parsed value (returned as is)', () => {
    const value = { other: 1 };
    expect(parseClaudeConfig(value)).toBe(value);
    expect(parseClaudeConfig('{}')).toEqual({});
  });

  it.each([
    [
      '{"mcpServers":{"fs":{"command":"x","args":["a",3]}}}',
      'mcpServers.fs.args[1]',
      'expected string, got 3',
    ],
    ['{"mcpServers":{"fs":{"args":[]}}}', 'mcpServers.fs.command', 'expected string, got nothing'],
    ['{"mcpServers":{"fs":{"command":7}}}', 'mcpServers.fs.command', 'expected string, got 7'],
    ['{"mcpServers":{"fs":{"command":"x","env":{"A":1}}}}', 'mcpServers.fs.env.A', 'expected string, got 1'],
    ['{"mcpServers":{"fs":{"command":"x","args":"a b"}}}', 'mcpServers.fs.args', 'expected array, got "a b"'],
    ['{"mcpServers":{"my server":{"command":null}}}', 'mcpServers["my server"].command', 'got null'],
    ['{"mcpServers":[]}', 'mcpServers', 'expected record'],
    ['[]', '(top level)', 'expected object'],
    ['null', '(top level)', 'expected object'],
    ['{"cmgrPorts":{"version":2}}', 'cmgrPorts.version', ''],
  ])('rejects %s naming %s', (text, path, detail) => {
    const error = catchError(() => parseClaudeConfig(text));
    expect(error.code).toBe('ECONFIGINVALID');
    expect(error.path).toBe(path);
    expect(error.message.startsWith(`${path}: `)).toBe(true);
    expect(error.message).toContain(detail);
    expect(error.message).not.toContain('\n');
  });

  it('refuses a "__proto__" server or variable, which a JavaScript reader would mistake for the prototype', () => {
    const server = catchError(() => parseClaudeConfig('{"mcpServers":{"__proto__":{"command":3}}}'));
    expect(server.code).toBe('ECONFIGINVALID');
    expect(server.path).toBe('mcpServers.__proto__');
    const env = catchError(() =>
      parseClaudeConfig('{"mcpServers":{"a":{"command":"x","env":{"__proto__":"1"}}}}'),
    );
    expect(env.path).toBe('mcpServers.a.env.__proto__');
  });

  it('says ECONFIGJSON with the parser message and the cause for text that is not JSON', () => {
    const error = catchError(() => parseClaudeConfig('{"mcpServers": {'));
    expect(error.code).toBe('ECONFIGJSON');
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.message).toContain('not valid JSON');
  });

  it('keeps the message on one line when the parser quotes text with line breaks', () => {
    const error = catchError(() => parseClaudeConfig('{\n"a": tru\n}'));
    expect(error.code).toBe('ECONFIGJSON');
    expect(error.message).not.toContain('\n');
  });
});

describe('formatPath', () => {
  it('writes dots for plain keys, brackets for indexes and other keys', () => {
    expect(formatPath(['mcpServers', 'fs', 'args', 1])).toBe('mcpServers.fs.args[1]');
    expect(formatPath(['mcpServers', 'a.b', 'env'])).toBe('mcpServers["a.b"].env');
    expect(formatPath(['mcpServers', 'sequential-thinking'])).toBe('mcpServers.sequential-thinking');
    expect(formatPath([])).toBe('(top level)');
  });
});
