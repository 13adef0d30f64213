/** One key event for the DevTools protocol's `Input.dispatchKeyEvent`. */
export interface KeyPress {
  readonly key: string;
  readonly code: string;
  readonly keyCode: number;
  /** The text a printable key types (none while Control, Alt or Meta is held). */
  readonly text?: string;
  /** CDP modifier bits: Alt 1, Control 2, Meta 4, Shift 8. */
  readonly modifiers: number;
  /** Editing commands Chrome runs for a shortcut (`selectAll` for Control+a), so they work everywhere. */
  readonly commands: readonly string[];
}

const MODIFIERS: Readonly<Record<string, number>> = {
  alt: 1,
  option: 1,
  control: 2,
  ctrl: 2,
  meta: 4,
  command: 4,
  cmd: 4,
  controlormeta: 2,
  shift: 8,
};

/** Named keys: [key, code, keyCode, text]. */
const NAMED: Readonly<Record<string, readonly [string, string, number, string?]>> = {
  enter: ['Enter', 'Enter', 13, '\r'],
  return: ['Enter', 'Enter', 13, '\r'],
  tab: ['Tab', 'Tab', 9],
  escape: ['Escape', 'Escape', 27],
  esc: ['Escape', 'Escape', 27],
  backspace: ['Backspace', 'Backspace', 8],
  delete: ['Delete', 'Delete', 46],
  insert: ['Insert', 'Insert', 45],
  space: [' ', 'Space', 32, ' '],
  arrowup: ['ArrowUp', 'ArrowUp', 38],
  arrowdown: ['ArrowDown', 'ArrowDown', 40],
  arrowleft: ['ArrowLeft', 'ArrowLeft', 37],
  arrowright: ['ArrowRight', 'ArrowRight', 39],
  up: ['ArrowUp', 'ArrowUp', 38],
  down: ['ArrowDown', 'ArrowDown', 40],
  left: ['ArrowLeft', 'ArrowLeft', 37],
  right: ['ArrowRight', 'ArrowRight', 39],
  home: ['Home', 'Home', 36],
  end: ['End', 'End', 35],
  pageup: ['PageUp', 'PageUp', 33],
  pagedown: ['PageDown', 'PageDown', 34],
};

const SHORTCUT_COMMANDS: Readonly<Record<string, string>> = {
  a: 'selectAll',
  c: 'copy',
  x: 'cut',
  v: 'paste',
  z: 'undo',
  y: 'redo',
};

/**
 * Reads a key name as the MCP tool documents it (`Enter`, `ArrowDown`, `a`, `Control+a`,
 * `Shift+Tab`, `F5`) into the key event to dispatch. Throws an Error naming the key otherwise.
 */
export function parseKey(name: string): KeyPress {
  // "+" alone, or as the last part ("Shift++"), is the plus key itself.
  const parts =
    name === '+' ? ['+'] : name.endsWith('++') ? [...name.slice(0, -2).split('+'), '+'] : name.split('+');
  const keyName = parts.pop() ?? '';
  let modifiers = 0;
  for (const part of parts) {
    const bit = MODIFIERS[part.trim().toLowerCase()];
    if (bit === undefined)
      throw new Error(`unknown modifier '${part}' in key '${name}' (use Control, Shift, Alt or Meta)`);
    modifiers |= bit;
  }
  const press = baseKey(keyName, name);
  const typing = (modifiers & 0b111) === 0;
  const shortcut = (modifiers & 0b110) !== 0 ? SHORTCUT_COMMANDS[press.key.toLowerCase()] : undefined;
  const shifted = modifiers & 8 && press.key.length === 1 ? press.key.toUpperCase() : press.key;
  return {
    key: shifted,
    code: press.code,
    keyCode: press.keyCode,
    ...(typing && press.text !== undefined
      ? { text: modifiers & 8 ? press.text.toUpperCase() : press.text }
      : {}),
    modifiers,
    commands: shortcut ? [shortcut] : [],
  };
}

function baseKey(
  keyName: string,
  whole: string,
): { key: string; code: string; keyCode: number; text?: string } {
  const named = NAMED[keyName.toLowerCase()];
  if (named) {
    const [key, code, keyCode, text] = named;
    return text === undefined ? { key, code, keyCode } : { key, code, keyCode, text };
  }
  const fn = /^f([1-9]|1[0-2])$/i.exec(keyName);
  if (fn) return { key: `F${fn[1]}`, code: `F${fn[1]}`, keyCode: 111 + Number(fn[1]) };
  if ([...keyName].length === 1) {
    const upper = keyName.toUpperCase();
    if (/[A-Z]/.test(upper))
      return { key: keyName, code: `Key${upper}`, keyCode: upper.charCodeAt(0), text: keyName };
    if (/[0-9]/.test(keyName))
      return { key: keyName, code: `Digit${keyName}`, keyCode: keyName.charCodeAt(0), text: keyName };
    return { key: keyName, code: '', keyCode: 0, text: keyName };
  }
  throw new Error(
    `unknown key '${keyName}' in '${whole}': use a name such as Enter, Tab, Escape, ArrowDown, Backspace, F5, or one character`,
  );
}
