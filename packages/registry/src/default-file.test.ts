import { describe, expect, it } from 'vitest';
import { DEFAULTS, defaultFile } from './options.js';

describe('the default registry file', () => {
  it('is /tmp/browsermcp-ports.json on Linux and macOS (not macOS’s per-user tmpdir), where other servers look', () => {
    expect(defaultFile('linux', '/tmp')).toBe('/tmp/browsermcp-ports.json');
    expect(defaultFile('darwin', '/var/folders/7x/k2n8_q1d4xs0000gn/T')).toBe('/tmp/browsermcp-ports.json');
  });

  it('is browsermcp-ports.json in the temp folder on Windows, which has no /tmp', () => {
    expect(defaultFile('win32', 'C:\\Users\\ada\\AppData\\Local\\Temp')).toBe(
      'C:\\Users\\ada\\AppData\\Local\\Temp\\browsermcp-ports.json',
    );
  });

  it('is the one for this platform', () => {
    expect(DEFAULTS.file).toBe(defaultFile(process.platform));
  });
});
