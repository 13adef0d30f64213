import * as cfg from '@ports/cmgr-config';
import { describe, expect, it } from 'vitest';
import { MAX_TOOL_OFFSET, MIN_TOOL_OFFSET } from './state.js';

describe('state checks', () => {
  it("judge recorded offsets by @ports/cmgr-config's own bounds", () => {
    expect([MIN_TOOL_OFFSET, MAX_TOOL_OFFSET]).toEqual([cfg.MIN_TOOL_OFFSET, cfg.MAX_TOOL_OFFSET]);
  });
});
