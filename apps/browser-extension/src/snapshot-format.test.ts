import { describe, expect, it } from 'vitest';
import { type AXNode, formatSnapshot } from './snapshot-format.js';

const node = (nodeId: string, role: string, extra: Partial<AXNode> = {}): AXNode => ({
  nodeId,
  role: { value: role },
  ...extra,
});

describe('formatSnapshot', () => {
  it('prints one line per node with name, value, states and refs for interactive nodes', () => {
    const nodes: AXNode[] = [
      node('1', 'RootWebArea', { name: { value: 'Page' }, childIds: ['2', '3', '5', '7'] }),
      node('2', 'heading', {
        name: { value: 'Title' },
        properties: [{ name: 'level', value: { value: 1 } }],
        childIds: ['2t'],
        parentId: '1',
      }),
      node('2t', 'StaticText', { name: { value: 'Title' }, parentId: '2' }),
      node('3', 'generic', { childIds: ['4'], parentId: '1' }),
      node('4', 'button', { name: { value: 'Save' }, backendDOMNodeId: 40, parentId: '3' }),
      node('5', 'textbox', {
        name: { value: 'Name' },
        value: { value: 'Ada' },
        properties: [
          { name: 'focusable', value: { value: true } },
          { name: 'focused', value: { value: true } },
          { name: 'required', value: { value: false } },
        ],
        backendDOMNodeId: 50,
        parentId: '1',
      }),
      node('7', 'checkbox', {
        name: { value: 'Agree' },
        properties: [{ name: 'checked', value: { value: 'true' } }],
        backendDOMNodeId: 70,
        parentId: '1',
        ignored: false,
      }),
    ];
    const { text, refs } = formatSnapshot(nodes, 3);
    expect(text).toBe(
      [
        '- heading "Title" [level=1]',
        '- button "Save" [ref=s3e1]',
        '- textbox "Name" [value="Ada"] [focused] [ref=s3e2]',
        '- checkbox "Agree" [checked] [ref=s3e3]',
      ].join('\n'),
    );
    expect([...refs]).toEqual([
      ['s3e1', 40],
      ['s3e2', 50],
      ['s3e3', 70],
    ]);
  });

  it('lifts the children of ignored nodes, indents by depth, and keeps text that says something new', () => {
    const nodes: AXNode[] = [
      node('1', 'RootWebArea', { childIds: ['2'] }),
      node('2', 'list', { ignored: true, childIds: ['3'], parentId: '1' }),
      node('3', 'listitem', { childIds: ['4', '5'], parentId: '2' }),
      node('4', 'StaticText', { name: { value: '  hello\n world ' }, parentId: '3' }),
      node('5', 'link', { name: { value: 'More' }, backendDOMNodeId: 9, parentId: '3' }),
    ];
    expect(formatSnapshot(nodes, 1).text).toBe(
      '- listitem\n  - text: "hello world"\n  - link "More" [ref=s1e1]',
    );
  });

  it('leaves out text that only repeats a field’s value', () => {
    const nodes: AXNode[] = [
      node('1', 'RootWebArea', { childIds: ['2'] }),
      node('2', 'textbox', {
        name: { value: 'Notes' },
        value: { value: 'old' },
        backendDOMNodeId: 5,
        childIds: ['3'],
        parentId: '1',
      }),
      node('3', 'StaticText', { name: { value: 'old' }, parentId: '2' }),
    ];
    expect(formatSnapshot(nodes, 2).text).toBe('- textbox "Notes" [value="old"] [ref=s2e1]');
  });

  it('walks a tree 10,000 deep without overflowing the stack', () => {
    const nodes: AXNode[] = Array.from({ length: 10_000 }, (_, i) =>
      node(String(i), 'group', { ...(i > 0 ? { parentId: String(i - 1) } : {}), childIds: [String(i + 1)] }),
    );
    expect(formatSnapshot(nodes, 1).text.split('\n')).toHaveLength(10_000);
  });
});
