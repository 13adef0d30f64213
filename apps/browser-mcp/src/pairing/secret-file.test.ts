import { chmod, chown, lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { derivePairingKey } from '@ports/browser-protocol';
import { createTempDir } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';
import { pairingFilePath } from './paths.js';
import { loadOrCreateSecret, readSecret, resetSecret } from './secret-file.js';
import { derivePairingKeySync } from './server-key.js';

const isRoot = process.getuid?.() === 0;

describe('the pairing secret file', () => {
  it('is created once, mode 0600 in a 0700 folder, with at least 128 random bits', async () => {
    await using dir = await createTempDir();
    const file = dir.join('config', 'browser-mcp', 'pairing.json');
    const first = await loadOrCreateSecret(file);
    expect(first.created).toBe(true);
    expect(first.secret.length * 8).toBeGreaterThanOrEqual(128);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dir.join('config', 'browser-mcp'))).mode & 0o777).toBe(0o700);
    const again = await loadOrCreateSecret(file);
    expect(again.created).toBe(false);
    expect(again.secret).toEqual(first.secret);
    const other = await loadOrCreateSecret(dir.join('other.json'));
    expect(other.secret).not.toEqual(first.secret);
  });

  it('makes one secret when many start at once', async () => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    const all = await Promise.all(Array.from({ length: 20 }, () => loadOrCreateSecret(file)));
    expect(all.filter((one) => one.created)).toHaveLength(1);
    for (const one of all) expect(one.secret).toEqual(all[0]?.secret);
    // No temp file is left beside it.
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir.path)).toEqual(['pairing.json']);
  });

  it.each([
    ['not JSON', 'garbage', /is not JSON/],
    ['empty', '', /is empty/],
    ['of another version', '{"version":2,"secret":"AAAAAAAAAAAAAAAAAAAAAA"}', /has version 2/],
    ['without a secret', '{"version":1}', /has no "secret" string/],
    ['with a short secret', '{"version":1,"secret":"AAAA"}', /at least 128 are needed/],
  ])('refuses a file %s, naming it, and leaves it as it was', async (_case, content, reason) => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    await writeFile(file, content, { mode: 0o600 });
    await expect(loadOrCreateSecret(file)).rejects.toMatchObject({
      code: 'EPAIRINGFILE',
      message: expect.stringMatching(reason),
    });
    await expect(loadOrCreateSecret(file)).rejects.toThrow(file);
    expect(await readFile(file, 'utf8')).toBe(content);
  });

  it('refuses a symlink, never writing through it, dangling or not', async () => {
    await using dir = await createTempDir();
    const target = dir.join('elsewhere.json');
    const file = dir.join('pairing.json');
    await symlink(target, file);
    await expect(loadOrCreateSecret(file)).rejects.toMatchObject({
      code: 'EPAIRINGFILE',
      message: expect.stringContaining('is a symlink'),
    });
    await expect(lstat(target)).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFile(target, '{"version":1,"secret":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}', {
      mode: 0o600,
    });
    await expect(readSecret(file)).rejects.toThrow(/is a symlink/);
  });

  it('refuses a file other users can read, saying how to fix it', async () => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    await loadOrCreateSecret(file);
    await chmod(file, 0o644);
    await expect(readSecret(file)).rejects.toThrow(`chmod 600 ${file}`);
  });

  it.skipIf(!isRoot)('refuses a file that belongs to another user (runs as root)', async () => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    await loadOrCreateSecret(file);
    await chown(file, 65_534, 65_534);
    await expect(readSecret(file)).rejects.toThrow(/belongs to user 65534, not to you/);
  });

  it('refuses a FIFO at the path at once instead of hanging on it', async () => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [file]);
    await expect(loadOrCreateSecret(file)).rejects.toThrow(/is not a regular file/);
  });

  it('refuses a file in a folder every user may write to (not sticky)', async () => {
    await using dir = await createTempDir();
    await mkdir(dir.join('open'));
    await chmod(dir.join('open'), 0o777);
    const file = dir.join('open', 'pairing.json');
    await writeFile(file, '{"version":1,"secret":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}', {
      mode: 0o600,
    });
    await expect(readSecret(file)).rejects.toThrow(/a folder every user may write to/);
  });

  it('derives the same key with Node’s HMAC as the protocol’s WebCrypto does', async () => {
    for (const fill of [0, 1, 255]) {
      const secret = new Uint8Array(32).fill(fill);
      expect(derivePairingKeySync(secret)).toEqual(await derivePairingKey(secret));
    }
  });

  it('refuses a folder where the file should be', async () => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    await mkdir(file);
    await expect(loadOrCreateSecret(file)).rejects.toThrow(/is not a regular file/);
  });

  it('is replaced whole by a reset, which gives a new secret', async () => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    const before = await loadOrCreateSecret(file);
    const after = await resetSecret(file);
    expect(after.secret).not.toEqual(before.secret);
    expect((await readSecret(file)) ?? []).toEqual(after.secret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('is reset even over a corrupt file, the one way out the error names', async () => {
    await using dir = await createTempDir();
    const file = dir.join('pairing.json');
    await writeFile(file, 'garbage', { mode: 0o600 });
    const fresh = await resetSecret(file);
    expect(await readSecret(file)).toEqual(fresh.secret);
  });
});

if (!isRoot) console.warn('pairing secret file: the other-owner test needs root (skipped)');

describe('where the secret lives', () => {
  it('follows BROWSER_MCP_PAIRING_FILE, then each platform’s user config folder', () => {
    expect(pairingFilePath({ BROWSER_MCP_PAIRING_FILE: '/x/p.json' }, 'linux', '/home/a')).toBe('/x/p.json');
    expect(pairingFilePath({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/a')).toBe(
      '/cfg/browser-mcp/pairing.json',
    );
    expect(pairingFilePath({}, 'linux', '/home/a')).toBe('/home/a/.config/browser-mcp/pairing.json');
    // A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
    expect(pairingFilePath({ XDG_CONFIG_HOME: 'cfg' }, 'linux', '/home/a')).toBe(
      '/home/a/.config/browser-mcp/pairing.json',
    );
    expect(pairingFilePath({}, 'darwin', '/Users/a')).toBe(
      '/Users/a/Library/Application Support/browser-mcp/pairing.json',
    );
    expect(pairingFilePath({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a')).toBe(
      'C:\\Users\\a\\AppData\\Roaming\\browser-mcp\\pairing.json',
    );
  });
});
