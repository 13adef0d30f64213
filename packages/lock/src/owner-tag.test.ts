import { describe, expect, it } from 'vitest';
import { ownerTag, parseOwnerTag } from './owner-tag.js';
import { ownStartTime } from './process-info.js';

describe('owner tags', () => {
  it('round-trips this process', () => {
    expect(parseOwnerTag(ownerTag())).toEqual({ pid: process.pid, startTime: ownStartTime });
  });

  it('reads an unknown start time as null and refuses what is not a tag', () => {
    expect(parseOwnerTag('42-x-abcd')).toEqual({ pid: 42, startTime: null });
    expect(parseOwnerTag('42-zz-abcd')).toEqual({ pid: 42, startTime: null });
    expect(parseOwnerTag('nope-1-abcd')).toBeNull();
    expect(parseOwnerTag('0-1-abcd')).toBeNull();
    expect(parseOwnerTag('')).toBeNull();
  });
});
