import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BrowserMcpError } from './errors.js';
import { checkUploadPaths } from './upload-paths.js';

const dir = mkdtempSync(join(tmpdir(), 'browser-mcp-upload-'));
const root = join(dir, 'root');
mkdirSync(join(root, 'sub'), { recursive: true });
writeFileSync(join(root, 'sub', 'ok.txt'), 'ok');
writeFileSync(join(dir, 'secret.txt'), 'secret');
// An attacker who can write inside the root plants links to what lies outside it.
symlinkSync(join(dir, 'secret.txt'), join(root, 'link.txt'));
symlinkSync(dir, join(root, 'escape'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(paths: string[], roots: string[] = []): Promise<BrowserMcpError> {
  try {
    await checkUploadPaths(paths, roots);
  } catch (error) {
    expect(error).toBeInstanceOf(BrowserMcpError);
    expect((error as BrowserMcpError).code).toBe('EUPLOAD');
    return error as BrowserMcpError;
  }
  throw new Error(`${paths.join(', ')} was accepted`);
}

describe('checkUploadPaths', () => {
  it('resolves absolute paths of readable files, inside the roots when there are some', async () => {
    expect(await checkUploadPaths([join(root, 'sub', 'ok.txt')], [root])).toEqual([
      join(root, 'sub', 'ok.txt'),
    ]);
    expect(await checkUploadPaths([join(dir, 'secret.txt')], [])).toEqual([join(dir, 'secret.txt')]);
  });

  it('names a missing, relative, unreadable or non-file path', async () => {
    expect((await refusal([join(root, 'nope.txt')])).message).toBe(
      `Cannot upload ${join(root, 'nope.txt')}: it does not exist. Nothing was uploaded.`,
    );
    expect((await refusal(['sub/ok.txt'])).message).toContain('is not an absolute path');
    expect((await refusal([join(root, 'sub')])).message).toContain('is not a file');
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.txt');
      writeFileSync(locked, 'x');
      chmodSync(locked, 0o000);
      expect((await refusal([locked])).message).toContain('cannot be read');
    }
  });

  it('refuses what lies outside the roots, through .., a symlinked file or a symlinked folder', async () => {
    for (const path of [
      join(dir, 'secret.txt'),
      join(root, '..', 'secret.txt'),
      join(root, 'link.txt'),
      join(root, 'escape', 'secret.txt'),
    ]) {
      expect((await refusal([path], [root])).message, path).toContain('outside the folders');
    }
    // The whole call fails on one bad path: nothing is half-accepted.
    await refusal([join(root, 'sub', 'ok.txt'), join(root, 'link.txt')], [root]);
  });
});
