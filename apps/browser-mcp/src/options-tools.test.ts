import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { parseOptions } from './options.js';

const dir = mkdtempSync(join(tmpdir(), 'browser-mcp-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the tool flags', () => {
  it('defaults: dialogs wait for browser_handle_dialog, uploads from anywhere, evaluate offered', () => {
    const options = parseOptions([], {});
    expect(options).toMatchObject({ uploadRoots: [], evaluate: true });
    expect('dialogs' in options).toBe(false);
  });

  it('reads --dialogs, repeated --upload-root (resolved) and --no-evaluate', () => {
    const other = mkdtempSync(join(dir, 'other-'));
    expect(
      parseOptions(
        [
          '--dialogs',
          'dismiss',
          '--upload-root',
          dir,
          '--upload-root',
          `${other}/../${other.split('/').pop()}`,
          '--no-evaluate',
        ],
        {},
      ),
    ).toMatchObject({ dialogs: 'dismiss', uploadRoots: [dir, other], evaluate: false });
    expect(parseOptions(['--dialogs', 'accept'], {})).toMatchObject({ dialogs: 'accept' });
  });

  it('refuses a bad --dialogs, an --upload-root that is no folder, and the flags on instances', () => {
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x');
    for (const [argv, message] of [
      [['--dialogs', 'maybe'], "--dialogs must be accept or dismiss, got 'maybe'"],
      [['--upload-root', join(dir, 'missing')], '--upload-root must be an existing folder'],
      [['--upload-root', file], '--upload-root must be an existing folder'],
      [['instances', '--no-evaluate'], "--no-evaluate does not apply to 'instances'"],
      [['instances', '--dialogs', 'accept'], "--dialogs does not apply to 'instances'"],
    ] as const) {
      expect(() => parseOptions(argv, {}), argv.join(' ')).toThrow(UsageError);
      expect(() => parseOptions(argv, {}), argv.join(' ')).toThrow(message);
    }
  });
});
