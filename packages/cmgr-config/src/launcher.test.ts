import { describe, expect, it } from 'vitest';
import { execWord, launcherEntry, urlHandlerEntry, windowClass } from './launcher.js';

describe('launcherEntry', () => {
  it('names the instance, starts it, has an icon and the instance window class', () => {
    const text = launcherEntry({ instance: 'work', cmgr: ['/usr/bin/node', '/opt/cmgr/bin/cmgr.js'] });
    const lines = text.split('\n');
    expect(lines[0]).toBe('[Desktop Entry]');
    expect(lines).toContain('Name=Claude (work)');
    expect(lines).toContain('Exec=/usr/bin/node /opt/cmgr/bin/cmgr.js start work');
    expect(lines).toContain('Icon=claude-desktop');
    expect(lines).toContain(`StartupWMClass=${windowClass('work')}`);
    expect(windowClass('work')).toBe('cmgr-work');
  });
  it('refuses a bad instance name before it reaches a file', () => {
    expect(() => launcherEntry({ instance: '../x', cmgr: ['cmgr'] })).toThrow(/invalid instance name/);
  });
});

describe('execWord', () => {
  it('quotes reserved characters and escapes per the Desktop Entry Specification', () => {
    expect(execWord('/plain/path')).toBe('/plain/path');
    expect(execWord('/with space/x')).toBe('"/with space/x"');
    expect(execWord('100%')).toBe('100%%');
    expect(execWord('a"b$c')).toBe('"a\\\\"b\\\\$c"');
    expect(execWord('CMGR_HOME=/x')).toBe('CMGR_HOME=/x');
  });
});

describe('urlHandlerEntry', () => {
  it('handles claude:// with open-url %u', () => {
    const text = urlHandlerEntry(['/usr/bin/cmgr']);
    expect(text).toContain('MimeType=x-scheme-handler/claude;\n');
    expect(text).toContain('Exec=/usr/bin/cmgr open-url %u\n');
  });
});
