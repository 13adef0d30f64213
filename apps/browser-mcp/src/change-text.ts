import type { PageChanges } from '@ports/browser-protocol';

/**
 * What an action changed, one short line each (`- Tab opened: 1 http://…`), for a model to read
 * instead of a new snapshot; no lines when nothing changed.
 *
 * @example
 * ```ts
 * changeLines({ title: 'Cart', errors: ['Uncaught TypeError: x is undefined'] });
 * // ['- Page Title: Cart', '- Console error: Uncaught TypeError: x is undefined']
 * ```
 */
export function changeLines(changes: PageChanges | undefined): string[] {
  if (!changes) return [];
  const lines: string[] = [];
  if (changes.url !== undefined) lines.push(`- Page URL: ${changes.url}`);
  if (changes.title !== undefined) lines.push(`- Page Title: ${changes.title}`);
  for (const tab of changes.tabsOpened ?? []) lines.push(`- Tab opened: ${tab.index} ${tab.url}`);
  for (const tab of changes.tabsClosed ?? []) lines.push(`- Tab closed: ${tab.index} ${tab.url}`);
  for (const dialog of changes.dialogs ?? []) lines.push(`- Dialog opened: ${dialog}`);
  for (const error of changes.errors ?? []) lines.push(`- Console error: ${error}`);
  for (const download of changes.downloads ?? []) lines.push(`- Download started: ${download}`);
  for (const chooser of changes.fileChoosers ?? [])
    lines.push(`- File chooser opened${chooser ? `: ${chooser}` : ''}`);
  return lines;
}
