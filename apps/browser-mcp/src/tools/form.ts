import { FORM_FIELD_TYPES, LIMITS, TOOL_COMMANDS } from '@ports/browser-protocol';
import { z } from 'zod';
import { actionText } from '../reply-text.js';
import { defineTool, textResult } from './kit.js';

/** The `browser_fill_form` tool (its description is what a model reads). */
export const fillForm = defineTool({
  action: true,
  name: 'browser_fill_form',
  description:
    'Fill several form fields in one call, in order, each with the events a user’s input makes. ' +
    'A field that fails stops the call; the error names it and the fields filled before it.',
  input: z.object({
    fields: z
      .array(
        z.object({
          name: z.string().min(1).describe('Human-readable field name, e.g. "Email"'),
          type: z.enum(FORM_FIELD_TYPES).describe('Type of the field'),
          ref: z.string().min(1).describe('Exact field reference from the latest browser_snapshot'),
          value: z
            .string()
            .describe(
              'Value to fill: text for a textbox, "true" or "false" for a checkbox or radio, the option’s label for a combobox, a number for a slider',
            ),
        }),
      )
      .min(1)
      .max(LIMITS.maxFormFields)
      .describe('Fields to fill in'),
  }),
  run: async (args, { send }) => textResult(actionText(await send(TOOL_COMMANDS.browser_fill_form, args))),
});
