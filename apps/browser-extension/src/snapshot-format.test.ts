import { describe, expect, it } from 'vitest';
import type { SnapshotRow } from './in-page/collect-snapshot.js';
import { formatSnapshot, refsOf } from './snapshot-format.js';

describe('formatSnapshot', () => {
  it('prints one line per row with name, value, states and ref, indented by depth', () => {
    const rows: SnapshotRow[] = [
      [0, 'heading', 'Title', '', ['level=1'], ''],
      [0, 'button', 'Save', '', [], 's3e1'],
      [0, 'textbox', 'Name', 'Ada', ['focused'], 's3e2'],
      [0, 'list', '', '', [], ''],
      [1, 'listitem', '', '', [], ''],
      [2, 'text', 'hello "world"', '', [], ''],
      [2, 'checkbox', 'Agree', '', ['checked', 'required'], 's3e3'],
    ];
    expect(formatSnapshot(rows)).toBe(
      [
        '- heading "Title" [level=1]',
        '- button "Save" [ref=s3e1]',
        '- textbox "Name" [value="Ada"] [focused] [ref=s3e2]',
        '- list',
        '  - listitem',
        '    - text: hello "world"',
        '    - checkbox "Agree" [checked] [required] [ref=s3e3]',
      ].join('\n'),
    );
    expect([...refsOf(rows)]).toEqual(['s3e1', 's3e2', 's3e3']);
  });

  it('leaves out a list item or cell around one element, and puts a lone text on its parent’s line', () => {
    const rows: SnapshotRow[] = [
      [0, 'list', '', '', [], ''],
      [1, 'listitem', '', '', [], 's1e9'],
      [2, 'link', 'Home', '', [], 's1e1'],
      [1, 'listitem', '', '', [], ''],
      [2, 'text', 'plain', '', [], ''],
      [0, 'row', '', '', [], ''],
      [1, 'cell', '', '', [], ''],
      [2, 'checkbox', 'Pick', '', [], 's1e2'],
      [1, 'cell', '', '', [], ''],
      [0, 'combobox', 'Size', 'M', [], 's1e3'],
      [1, 'options', 'S|M|L', '', [], ''],
      [0, 'navigation', 'Docs', '', ['…'], ''],
    ];
    expect(formatSnapshot(rows)).toBe(
      [
        '- list',
        '  - link "Home" [ref=s1e1]',
        '  - listitem: plain',
        '- row',
        '  - checkbox "Pick" [ref=s1e2]',
        '  - cell',
        '- combobox "Size" [value="M"] [ref=s1e3]',
        '  - options: S|M|L',
        '- navigation "Docs" …',
      ].join('\n'),
    );
  });

  it('says when a page has nothing to show', () => {
    expect(formatSnapshot([])).toBe('- document (empty)');
  });
});
