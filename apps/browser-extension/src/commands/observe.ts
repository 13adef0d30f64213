import type { ActionReply, DialogInfo, PageReply } from '@ports/browser-protocol';
import type { Page } from '../page.js';
import { FRAME_ANSWER_MS, within } from './context.js';

/**
 * Runs an action on `page` and reports what it opened that the model must deal with next:
 *
 * - a dialog. One that stays open blocks the page, and with it the action's own DevTools calls,
 *   so the reply comes as soon as it opens (the action finishes once the dialog is answered);
 * - a file chooser (intercepted, so no window appears).
 *
 * `act` resolves with what was done in words (or nothing: `message` then says it).
 */
export async function observe(
  page: Page,
  message: string,
  act: () => Promise<unknown>,
): Promise<ActionReply> {
  const dialogsBefore = page.dialogCount;
  const choosersBefore = page.fileChooserCount;
  const opened = page.blockingDialog();
  const acting = (async () => {
    const said = await act();
    // One round trip through the page, and through each frame of another process, after the
    // input: events the action caused there (a file chooser, a dialog) have reached us by the time
    // they answer. (A trip fails when the action navigated the page away: nothing to wait for then.)
    await Promise.all([
      page
        .world()
        .then((contextId) => page.session.send('Runtime.evaluate', { expression: '0', contextId }))
        .catch(() => {}),
      // A frame busy with a long task of its own is not waited for.
      ...page
        .frameSessions()
        .map((frame) =>
          within(frame.send('Runtime.evaluate', { expression: '0' }), FRAME_ANSWER_MS).catch(() => {}),
        ),
    ]);
    return typeof said === 'string' && said !== '' ? said : message;
  })();
  // When a dialog wins the race, the action settles later; its outcome is no longer anyone's.
  acting.catch(() => {});
  let said: string;
  try {
    said = await Promise.race([acting, opened.promise.then(() => message)]);
  } finally {
    opened.cancel();
  }
  return withOpened(page, said, dialogsBefore, choosersBefore);
}

/**
 * Runs a navigation (navigate, back, forward) and answers the page it ended on. A dialog that
 * opens and stays open blocks the load: the reply then comes at once, naming the page it was
 * going to (`url`) with the dialog; the model answers it with `browser_handle_dialog`.
 */
export async function observeNavigation(
  page: Page,
  url: string,
  navigate: () => Promise<PageReply>,
): Promise<PageReply> {
  const dialogsBefore = page.dialogCount;
  const opened = page.blockingDialog();
  const going = navigate();
  going.catch(() => {});
  try {
    const reply = await Promise.race([going, opened.promise.then(() => undefined)]);
    const dialog = page.dialogCount > dialogsBefore ? page.lastDialog : undefined;
    return { ...(reply ?? { url, title: '' }), ...(dialog ? { dialog } : {}) };
  } finally {
    opened.cancel();
  }
}

/** `message`, with the dialog and file chooser that opened since the counts were taken. */
function withOpened(page: Page, message: string, dialogsBefore: number, choosersBefore: number): ActionReply {
  const dialog: DialogInfo | undefined = page.dialogCount > dialogsBefore ? page.lastDialog : undefined;
  const chooser = page.fileChooserCount > choosersBefore ? page.fileChooser : undefined;
  return {
    message,
    ...(dialog ? { dialog } : {}),
    ...(chooser ? { fileChooser: { multiple: chooser.multiple } } : {}),
  };
}
