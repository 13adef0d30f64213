import { LIMITS, TOOL_COMMANDS } from '@ports/browser-protocol';
import { z } from 'zod';
import { dialogText } from '../reply-text.js';
import { defineTool, textResult } from './kit.js';

/** The `browser_evaluate` tool (its description is what a model reads). */
export const evaluate = defineTool({
  name: 'browser_evaluate',
  description:
    'Run a JavaScript function in the page and return the JSON of its result, e.g. to read a value the page computed. ' +
    'With element and ref, the element is the function’s argument. A throw is returned as an error with the page’s message.',
  input: z
    .object({
      function: z
        .string()
        .min(1)
        .max(LIMITS.maxFunctionLength)
        .describe(
          'A function expression: "() => document.title", or "(element) => element.value" with a ref',
        ),
      element: z
        .string()
        .min(1)
        .optional()
        .describe('Human-readable description of the element passed to the function'),
      ref: z.string().min(1).optional().describe('Exact element reference from the latest browser_snapshot'),
    })
    .refine((args) => (args.element === undefined) === (args.ref === undefined), {
      message: 'Give element and ref together, or neither.',
    }),
  enabled: (settings) => settings.evaluate,
  run: async (args, { send }) => {
    const reply = await send(TOOL_COMMANDS.browser_evaluate, args);
    return textResult(reply.dialog ? `${reply.result}\n${dialogText(reply.dialog)}` : reply.result);
  },
});
