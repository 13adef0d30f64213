import { TOOL_COMMANDS } from '@ports/browser-protocol';
import { z } from 'zod';
import { actionText } from '../reply-text.js';
import { defineTool, textResult } from './kit.js';

/** The `browser_handle_dialog` tool (its description is what a model reads). */
export const handleDialog = defineTool({
  action: true,
  name: 'browser_handle_dialog',
  description:
    'Answer the dialog (alert, confirm, prompt, beforeunload) the page opened: an action’s reply says when one opened. ' +
    'It blocks the page, and every other page tool fails, until it is answered.',
  input: z.object({
    accept: z.boolean().describe('true to accept (OK), false to dismiss (Cancel)'),
    promptText: z.string().optional().describe('For a prompt: the text to answer with (when accepting)'),
  }),
  run: async (args, { send }) =>
    textResult(actionText(await send(TOOL_COMMANDS.browser_handle_dialog, args))),
});
