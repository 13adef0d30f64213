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
        '    - text: "hello \\"world\\""',
        '    - checkbox "Agree" [checked] [required] [ref=s3e3]',
      ].join('\n'),
    );
    expect([...refsOf(rows)]).toEqual(['s3e1', 's3e2', 's3e3']);
  });

  it('says when a page has nothing to show', () => {
    expect(formatSnapshot([])).toBe('- document (empty)');
  });
});
