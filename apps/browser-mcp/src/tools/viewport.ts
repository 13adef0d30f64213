import { LIMITS, TOOL_COMMANDS } from '@ports/browser-protocol';
import { z } from 'zod';
import { actionText } from '../reply-text.js';
import { defineTool, textResult } from './kit.js';

/** The `browser_mouse_click_xy` tool (its description is what a model reads). */
export const mouseClickXy = defineTool({
  action: true,
  name: 'browser_mouse_click_xy',
  description:
    'Click at a point of the viewport, in CSS pixels from its top-left corner: for canvases, maps and other ' +
    'places without an element ref. A point outside the viewport is an error.',
  input: z.object({
    x: z.number().min(0).describe('X coordinate in CSS pixels'),
    y: z.number().min(0).describe('Y coordinate in CSS pixels'),
  }),
  run: async (args, { send }) =>
    textResult(actionText(await send(TOOL_COMMANDS.browser_mouse_click_xy, args))),
});

const side = z.number().int().min(LIMITS.minViewportSide).max(LIMITS.maxViewportSide);

/** The `browser_resize` tool (its description is what a model reads). */
export const resize = defineTool({
  name: 'browser_resize',
  description:
    'Set the size of this session’s tab viewport in CSS pixels, e.g. to see a page as a phone does. ' +
    'Only the page’s viewport changes; the browser window is never moved or resized.',
  input: z.object({
    width: side.describe('Viewport width in CSS pixels'),
    height: side.describe('Viewport height in CSS pixels'),
  }),
  run: async (args, { send }) => textResult(actionText(await send(TOOL_COMMANDS.browser_resize, args))),
});
