import { type Handler, ProtocolError } from '@ports/browser-protocol';
import { pageFor } from './context.js';
import { observe } from './observe.js';

/**
 * `browser_handle_dialog`: answers the dialog open on the page. The reply also reports a dialog
 * the page opens next (a confirm after an alert), as any action's does.
 */
export const handleDialog: Handler<'browser_handle_dialog'> = async (instanceId, { accept, promptText }) => {
  const page = await pageFor(instanceId, { whileDialogOpen: true });
  const dialog = page.dialog;
  if (!dialog) throw new ProtocolError('ENODIALOG', 'No dialog is open on the page.');
  const answer = accept && promptText !== undefined && dialog.type === 'prompt' ? { promptText } : {};
  const done =
    `${accept ? 'Accepted' : 'Dismissed'} the ${dialog.type} dialog ${JSON.stringify(dialog.message)}` +
    ('promptText' in answer ? ` with ${JSON.stringify(promptText)}` : '');
  return observe(page, done, async () => {
    await page.answerDialog(accept, answer.promptText);
    page.dialog = undefined;
  });
};
