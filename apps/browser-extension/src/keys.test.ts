import { describe, expect, it } from 'vitest';
import { parseKey } from './keys.js';

describe('parseKey', () => {
  it('reads named keys, characters and function keys', () => {
    expect(parseKey('Enter')).toEqual({
      key: 'Enter',
      code: 'Enter',
      keyCode: 13,
      text: '\r',
      modifiers: 0,
      commands: [],
    });
    expect(parseKey('ArrowDown')).toMatchObject({ key: 'ArrowDown', keyCode: 40, modifiers: 0 });
    expect(parseKey('ArrowDown').text).toBeUndefined();
    expect(parseKey('a')).toMatchObject({ key: 'a', code: 'KeyA', keyCode: 65, text: 'a' });
    expect(parseKey('7')).toMatchObject({ code: 'Digit7', text: '7' });
    expect(parseKey('F5')).toMatchObject({ key: 'F5', keyCode: 116 });
    expect(parseKey('+')).toMatchObject({ key: '+', text: '+' });
  });

  it('reads combinations: modifiers as bits, no text under Control, editing commands for shortcuts', () => {
    expect(parseKey('Control+a')).toEqual({
      key: 'a',
      code: 'KeyA',
      keyCode: 65,
      modifiers: 2,
      commands: ['selectAll'],
    });
    expect(parseKey('Shift+a')).toMatchObject({ key: 'A', text: 'A', modifiers: 8 });
    expect(parseKey('Shift+Tab')).toMatchObject({ key: 'Tab', modifiers: 8 });
    expect(parseKey('Control+Shift++')).toMatchObject({ key: '+', modifiers: 10 });
    expect(parseKey('Meta+c').commands).toEqual(['copy']);
  });

  it('names what it does not know', () => {
    expect(() => parseKey('Hyper+a')).toThrow("unknown modifier 'Hyper'");
    expect(() => parseKey('Frobnicate')).toThrow("unknown key 'Frobnicate'");
  });
});
