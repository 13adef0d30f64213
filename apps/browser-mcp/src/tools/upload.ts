import { LIMITS, TOOL_COMMANDS } from '@ports/browser-protocol';
import { z } from 'zod';
import { actionText } from '../reply-text.js';
import { checkUploadPaths } from '../upload-paths.js';
import { defineTool, textResult } from './kit.js';

/** The `browser_file_upload` tool (its description is what a model reads). */
export const fileUpload = defineTool({
  action: true,
  name: 'browser_file_upload',
  description:
    'Set the files of the file chooser the page opened: click the file input (or its button) first; its reply says ' +
    'when a file chooser opened. Paths are absolute paths on this machine; an empty list cancels the chooser.',
  input: z.object({
    paths: z
      .array(z.string().min(1))
      .max(LIMITS.maxUploadFiles)
      .describe('Absolute paths of the files to upload, e.g. ["/home/me/report.pdf"]'),
  }),
  run: async ({ paths }, { send, settings }) => {
    const checked = await checkUploadPaths(paths, settings.uploadRoots);
    return textResult(actionText(await send(TOOL_COMMANDS.browser_file_upload, { paths: checked })));
  },
});
