import type {
  ActionReply,
  ConsoleEntry,
  DialogInfo,
  PageReply,
  SnapshotReply,
  TabsReply,
} from '@ports/browser-protocol';

/** A page as `- Page URL:` / `- Page Title:` lines (empty fields left out). */
export function pageText(page: Partial<PageReply>): string {
  return [page.url ? `- Page URL: ${page.url}` : '', page.title ? `- Page Title: ${page.title}` : '']
    .filter(Boolean)
    .join('\n');
}

/** A navigation's page, and the dialog it opened, if any. */
export function navigationText(reply: PageReply): string {
  const page = pageText(reply);
  return reply.dialog ? [page, dialogText(reply.dialog)].filter(Boolean).join('\n') : page;
}

/** A snapshot with its page's URL and title above it. */
export function snapshotText(reply: SnapshotReply): string {
  const header = pageText(reply);
  return header ? `${header}\n${reply.snapshot}` : reply.snapshot;
}

/** A dialog as one line that tells the model what to do next. */
export function dialogText(dialog: DialogInfo): string {
  const prompt = dialog.defaultPrompt ? ` (default text ${JSON.stringify(dialog.defaultPrompt)})` : '';
  const article = dialog.type === 'alert' ? 'An' : 'A';
  const said = `${article} ${dialog.type} dialog opened: ${JSON.stringify(dialog.message)}${prompt}.`;
  if (dialog.handled) return `${said} browser-mcp ${dialog.handled} it (--dialogs).`;
  return `${said} It blocks the page until you answer it with browser_handle_dialog.`;
}

/** What an action did, and what it opened that the model must deal with next. */
export function actionText(reply: ActionReply): string {
  const lines = [reply.message];
  if (reply.dialog) lines.push(dialogText(reply.dialog));
  if (reply.fileChooser) {
    lines.push(
      `A file chooser opened${reply.fileChooser.multiple ? ' (several files allowed)' : ''}: ` +
        'set its files with browser_file_upload.',
    );
  }
  return lines.join('\n');
}

/** Console entries as `[level] text` lines. */
export function consoleText(logs: readonly ConsoleEntry[]): string {
  if (logs.length === 0) return 'No console messages.';
  return logs.map((entry) => `[${entry.level}] ${entry.text}`).join('\n');
}

/** The instance's tabs, one per line, the active one marked. */
export function tabsText(reply: TabsReply): string {
  if (reply.tabs.length === 0)
    return reply.text ?? 'This session has no tabs yet; the next command opens one.';
  return reply.tabs
    .map((t) => `- ${t.index}: ${t.title || '(untitled)'} (${t.url})${t.active ? ' [active]' : ''}`)
    .join('\n');
}
