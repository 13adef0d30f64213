import { type Handler, ProtocolError } from '@ports/browser-protocol';
import { pageFor } from './context.js';
import { observe } from './observe.js';

/**
 * `browser_file_upload`: sets the files of the file chooser the last action opened (the server
 * checked the paths); no paths cancels it. The input fires `input` and `change` as for a user.
 */
export const fileUpload: Handler<'browser_file_upload'> = async (instanceId, { paths }) => {
  const page = await pageFor(instanceId);
  const chooser = page.fileChooser;
  if (!chooser) throw new ProtocolError('ENOFILECHOOSER', 'No file chooser is open on the page.');
  if (paths.length > 1 && !chooser.multiple) {
    throw new ProtocolError(
      'EBADARGS',
      `The file chooser takes one file, and ${paths.length} were given. Pass one path.`,
    );
  }
  page.fileChooser = undefined;
  if (paths.length === 0) return { message: 'Cancelled the file chooser; no file was set.' };
  const names = paths.map((path) => path.split(/[\\/]/).pop()).join(', ');
  return observe(page, `Set ${paths.length} file(s) on the file chooser: ${names}`, async () => {
    await chooser.endpoint.send('DOM.setFileInputFiles', {
      files: [...paths],
      backendNodeId: chooser.backendNodeId,
    });
  });
};
