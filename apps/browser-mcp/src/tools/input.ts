import { MODIFIERS, TOOL_COMMANDS } from '@ports/browser-protocol';
import { z } from 'zod';
import { actionText } from '../reply-text.js';
import { defineTool, target, textResult } from './kit.js';

/** The `browser_click` tool (its description is what a model reads). */
export const click = defineTool({
  action: true,
  name: 'browser_click',
  description:
    'Click an element of the page, identified by its ref from browser_snapshot: once or twice, with any button, ' +
    'holding modifier keys. The reply says when the click opened a dialog or a file chooser.',
  input: z.object({
    ...target,
    doubleClick: z.boolean().optional().describe('Double-click instead of a single click'),
    button: z.enum(['left', 'right', 'middle']).optional().describe('Button to click, "left" by default'),
    modifiers: z
      .array(z.enum(MODIFIERS))
      .optional()
      .describe('Modifier keys to hold; ControlOrMeta is Meta on macOS and Control elsewhere'),
  }),
  run: async (args, { send }) => textResult(actionText(await send(TOOL_COMMANDS.browser_click, args))),
});

/** The `browser_hover` tool (its description is what a model reads). */
export const hover = defineTool({
  action: true,
  name: 'browser_hover',
  description: 'Move the mouse over an element of the page, identified by its ref from browser_snapshot.',
  input: z.object(target),
  run: async (args, { send }) => textResult(actionText(await send(TOOL_COMMANDS.browser_hover, args))),
});

/** The `browser_type` tool (its description is what a model reads). */
export const type = defineTool({
  action: true,
  name: 'browser_type',
  description:
    'Type text into an editable element (input, textarea, contenteditable), replacing its text, optionally pressing Enter after.',
  input: z.object({
    ...target,
    text: z.string().describe('Text to type into the element'),
    submit: z.boolean().default(false).describe('Press Enter after typing, e.g. to submit a search form'),
    slowly: z
      .boolean()
      .optional()
      .describe(
        'Type one character at a time, with a key event each, for pages that listen to keys; by default the text goes in at once',
      ),
  }),
  run: async (args, { send }) => textResult(actionText(await send(TOOL_COMMANDS.browser_type, args))),
});

/** The `browser_select_option` tool (its description is what a model reads). */
export const selectOption = defineTool({
  action: true,
  name: 'browser_select_option',
  description: 'Select one or more options of a <select> element, by their values or visible labels.',
  input: z.object({
    ...target,
    values: z.array(z.string()).min(1).describe('Values or labels of the options to select'),
  }),
  run: async (args, { send }) =>
    textResult(actionText(await send(TOOL_COMMANDS.browser_select_option, args))),
});

/** The `browser_press_key` tool (its description is what a model reads). */
export const pressKey = defineTool({
  action: true,
  name: 'browser_press_key',
  description: 'Press a key on the keyboard in the current tab.',
  input: z.object({
    key: z
      .string()
      .min(1)
      .describe(
        'Key name such as "Enter", "ArrowDown", "Escape", "Tab", a single character such as "a", ' +
          'or a combination such as "Control+a" or "Shift+Tab"',
      ),
  }),
  run: async (args, { send }) => textResult(actionText(await send(TOOL_COMMANDS.browser_press_key, args))),
});
