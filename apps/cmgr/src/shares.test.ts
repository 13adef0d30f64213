import { describe, expect, it } from 'vitest';
import { sharePath, withoutShare, withShare } from './shares.js';

describe('sharePath', () => {
  it('resolves against the current directory and normalises, keeping symlinks as given', () => {
    expect(sharePath('projects/../docs/', '/home/me')).toBe('/home/me/docs');
    expect(sharePath('/data//x/.', '/')).toBe('/data/x');
  });

  it('refuses an empty path and what would undo the sandbox, as usage errors', () => {
    for (const dir of ['', '/', '/home', '/home/claude/a', '/proc/1']) {
      expect(() => sharePath(dir, '/')).toThrow(expect.objectContaining({ code: 'EUSAGE' }));
    }
  });
});

describe('withShare / withoutShare', () => {
  it('adds at the end, updates in place, removes; undefined when it was not shared', () => {
    const a = { path: '/a', readOnly: false };
    const b = { path: '/b', readOnly: false };
    expect(withShare(withShare([], a), b)).toEqual([a, b]);
    expect(withShare([a, b], { path: '/a', readOnly: true })).toEqual([{ path: '/a', readOnly: true }, b]);
    expect(withoutShare([a, b], '/a')).toEqual([b]);
    expect(withoutShare([a, b], '/c')).toBeUndefined();
  });
});
