import { TOOL_COMMANDS } from '@ports/browser-protocol';
import { z } from 'zod';
import { actionText } from '../reply-text.js';
import { defineTool, textResult } from './kit.js';

/** The `browser_drag` tool (its description is what a model reads). */
export const drag = defineTool({
  action: true,
  name: 'browser_drag',
  description:
    'Drag one element onto another: HTML5 drag and drop (cards, files onto drop zones) and mouse-driven drags ' +
    '(sortable lists, sliders). Both elements come from browser_snapshot.',
  input: z.object({
    startElement: z.string().min(1).describe('Human-readable description of the element to drag'),
    startRef: z
      .string()
      .min(1)
      .describe('Exact reference of the element to drag, from the latest browser_snapshot'),
    endElement: z.string().min(1).describe('Human-readable description of the element to drop onto'),
    endRef: z
      .string()
      .min(1)
      .describe('Exact reference of the element to drop onto, from the latest browser_snapshot'),
  }),
  run: async (args, { send }) => textResult(actionText(await send(TOOL_COMMANDS.browser_drag, args))),
});
