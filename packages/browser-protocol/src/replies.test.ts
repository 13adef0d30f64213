import { describe, expect, it } from 'vitest';
import { decodeReply } from './commands.js';
import { hintFor, ProtocolError } from './errors.js';

/** A 1×1 PNG. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==';

function failure(run: () => unknown): ProtocolError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('decodeReply', () => {
  it('reads our replies and the older extension’s for actions', () => {
    expect(decodeReply('dom.click', { message: 'Clicked OK' })).toEqual({ message: 'Clicked OK' });
    expect(decodeReply('dom.click', { success: true, message: 'Clicked OK' })).toEqual({
      message: 'Clicked OK',
    });
    expect(decodeReply('keyboard.press', {})).toEqual({ message: 'Done.' });
    expect(
      decodeReply('dom.click', {
        message: 'Clicked Ask',
        dialog: { type: 'prompt', message: 'Name?', defaultPrompt: 'Ann' },
        fileChooser: { multiple: true },
      }),
    ).toEqual({
      message: 'Clicked Ask',
      dialog: { type: 'prompt', message: 'Name?', defaultPrompt: 'Ann' },
      fileChooser: { multiple: true },
    });
    expect(decodeReply('dom.click', { message: 'x', dialog: { type: 'bogus' } })).toEqual({ message: 'x' });
  });

  it('throws EFAILED when the older extension says in its reply that it failed', () => {
    expect(failure(() => decodeReply('dom.click', { success: null })).code).toBe('EFAILED');
    const said = failure(() => decodeReply('dom.click', { success: false, message: 'covered' }));
    expect(said.message).toBe('covered (it did not succeed).');
    expect(failure(() => decodeReply('dom.type', { error: 'not editable' })).message).toBe('not editable.');
    expect(failure(() => decodeReply('snapshot.accessibility', { snapshot: null })).code).toBe('EFAILED');
    expect(failure(() => decodeReply('snapshot.accessibility', { url: 'x' })).message).toContain(
      'no snapshot',
    );
  });

  it('reads an evaluate result and a dialog it opened', () => {
    expect(decodeReply('browser_evaluate', { result: '42' })).toEqual({ result: '42' });
    const dialog = { type: 'alert', message: 'hi', handled: 'accepted' };
    expect(decodeReply('browser_evaluate', { result: 'undefined', dialog })).toEqual({
      result: 'undefined',
      dialog,
    });
    expect(failure(() => decodeReply('browser_evaluate', {})).code).toBe('EBADREPLY');
  });

  it('reads pages, snapshots, tabs and waits with their defaults', () => {
    expect(
      decodeReply('browser_navigate', { url: 'u', dialog: { type: 'alert', message: 'Welcome' } }),
    ).toEqual({
      url: 'u',
      title: '',
      dialog: { type: 'alert', message: 'Welcome' },
    });
    expect(decodeReply('browser_go_forward', { url: 'https://b.test/' })).toEqual({
      url: 'https://b.test/',
      title: '',
    });
    expect(decodeReply('snapshot.accessibility', { snapshot: '- button', title: 'A' })).toEqual({
      snapshot: '- button',
      url: '',
      title: 'A',
    });
    expect(decodeReply('browser_tabs', { text: 'Selected tab 1' })).toEqual({
      tabs: [],
      text: 'Selected tab 1',
    });
    expect(decodeReply('browser_tabs', { tabs: [{ index: 0, url: 'u', title: 't', active: true }] })).toEqual(
      {
        tabs: [{ index: 0, url: 'u', title: 't', active: true }],
      },
    );
    expect(decodeReply('browser_wait_for', { waitedMs: 12, found: true })).toEqual({
      waitedMs: 12,
      found: true,
    });
  });

  it('reads console entries in both shapes as level and text', () => {
    expect(
      decodeReply('console.get', {
        logs: [
          { type: 'log', args: ['hello', 42, { a: [1, 2] }], timestamp: 5 },
          { level: 'warning', text: 'old shape' },
          'bare',
        ],
      }),
    ).toEqual({
      logs: [
        { level: 'log', text: 'hello 42 {"a":[1,2]}', timestamp: 5 },
        { level: 'warning', text: 'old shape' },
        { level: 'log', text: 'bare' },
      ],
    });
    expect(failure(() => decodeReply('console.get', {})).code).toBe('EBADREPLY');
  });

  it('reads a screenshot in every shape, and refuses what is not an image', () => {
    for (const payload of [
      { data: PNG, mimeType: 'image/png' },
      { data: PNG },
      { dataUrl: `data:image/png;base64,${PNG}` },
      { data: `data:image/png;base64,${PNG}` },
    ]) {
      expect(decodeReply('browser_screenshot', payload)).toEqual({ data: PNG, mimeType: 'image/png' });
    }
    expect(decodeReply('browser_screenshot', { data: PNG, mimeType: 'image/jpeg' }).mimeType).toBe(
      'image/jpeg',
    );
    for (const payload of [
      { ok: true },
      { dataUrl: 'data:text/plain;base64,aGk=' },
      { data: '<html>', mimeType: 'image/png' },
    ]) {
      const error = failure(() => decodeReply('browser_screenshot', payload));
      expect(error.code).toBe('EBADREPLY');
      expect(error.message).toContain('without a usable image');
    }
  });
});

describe('hintFor', () => {
  it('chooses the hint by code, and by command only for code-less failures', () => {
    expect(hintFor('ESTALEREF', 'dom.type')).toBe('Take a new browser_snapshot and use a ref from it.');
    expect(hintFor('EDIALOGOPEN', 'dom.click')).toContain('browser_handle_dialog');
    expect(hintFor('EEXTENSION', 'dom.type')).toBe(
      'Take a new browser_snapshot and check that the ref is an editable field.',
    );
    expect(hintFor('EFAILED', 'snapshot.accessibility')).toContain('normal web page');
    expect(hintFor('EEXTENSION', 'browser_tabs')).toBe('Check the browser extension’s tab, then try again.');
  });
});
