import { describe, expect, it } from 'vitest';
import { adoptBashState, isBashRegistry } from './legacy.js';

// Exactly what the bash cmgr's jq writes (2-space indent), and its first-run file.
const bashRegistry = JSON.parse(`{
  "instances": {
    "work": {
      "name": "work",
      "sandbox_path": "/home/me/sandboxes/work",
      "created_date": "2025-05-02T09:12:40+02:00",
      "build_format": "deb",
      "running": true
    },
    "personal": {
      "name": "personal",
      "sandbox_path": "/home/me/sandboxes/personal",
      "created_date": "2025-05-03T10:00:00+02:00",
      "build_format": "appimage",
      "running": false
    },
    "Bad Name": {
      "name": "Bad Name",
      "sandbox_path": "/home/me/sandboxes/Bad Name",
      "created_date": "2025-05-03T10:00:00+02:00",
      "build_format": "deb",
      "running": false
    }
  }
}`);

describe('isBashRegistry', () => {
  it('knows the bash files, and nothing else', () => {
    expect(isBashRegistry(JSON.parse('{"instances": {}}'))).toBe(true);
    expect(isBashRegistry(bashRegistry)).toBe(true);
    expect(isBashRegistry({ version: 1, instances: {} })).toBe(false);
    expect(isBashRegistry({ instances: { a: { name: 'a' } } })).toBe(false);
    expect(isBashRegistry({ instances: [] })).toBe(false);
    expect(isBashRegistry([])).toBe(false);
  });
});

describe('adoptBashState', () => {
  it('keeps names, sandboxes and recorded bases; a missing base gets the first free slot', () => {
    const adoption = adoptBashState(
      bashRegistry,
      { work: 9100, other: 9000 },
      new Date('2026-01-01T00:00:00Z'),
      ['/home/me/sandboxes'],
    );
    expect(adoption.instances).toEqual([
      {
        name: 'personal',
        base: 9200,
        size: 100,
        sandbox: '/home/me/sandboxes/personal',
        ports: true,
        offsets: {},
        tools: [],
        created: '2025-05-03T08:00:00.000Z',
      },
      {
        name: 'work',
        base: 9100,
        size: 100,
        sandbox: '/home/me/sandboxes/work',
        ports: true,
        offsets: {},
        tools: [],
        created: '2025-05-02T07:12:40.000Z',
      },
    ]);
    expect(adoption.skipped).toEqual([{ name: 'Bad Name', why: expect.stringMatching(/name/) }]);
  });
  it('a hostile sandbox_path (another folder, a way up) is not adopted', () => {
    const adoption = adoptBashState(
      {
        instances: {
          etc: { sandbox_path: '/etc' },
          up: { sandbox_path: '/home/me/sandboxes/../up' },
          other: { sandbox_path: '/home/me/sandboxes/elsewhere' },
          rel: { sandbox_path: 'sandboxes/rel' },
          ok: { sandbox_path: '/home/me/sandboxes/ok' },
        },
      },
      {},
      new Date(0),
      ['/home/me/sandboxes/'],
    );
    expect(adoption.instances.map((i) => i.name)).toEqual(['ok']);
    expect(adoption.skipped.map((s) => s.name).sort()).toEqual(['etc', 'other', 'rel', 'up']);
  });

  it('two instances the bash tool gave the same base: the second moves to a free slot', () => {
    const adoption = adoptBashState(
      { instances: { a: { sandbox_path: '/s/a' }, b: { sandbox_path: '/s/b' } } },
      { a: 9100, b: 9100 },
      new Date(0),
      ['/s'],
    );
    expect(adoption.instances.map((i) => [i.name, i.base])).toEqual([
      ['a', 9100],
      ['b', 9000],
    ]);
  });
});
