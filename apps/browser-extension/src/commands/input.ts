import { type ElementTarget, type Handler, type MODIFIERS, ProtocolError } from '@ports/browser-protocol';
import type { Cdp } from '../cdp.js';
import { inOtherProcess, pointerOf } from '../element-geometry.js';
import { parseKey } from '../keys.js';
import type { ElementHandle, Page } from '../page.js';
import { pageFor } from './context.js';
import { observe } from './observe.js';

/** The element a command acts on: a handle in the page's isolated world, and how the model named it. */
export interface Target {
  readonly page: Page;
  /** The element's handle and the world (frame, process) it lives in. */
  readonly handle: ElementHandle;
  readonly objectId: string;
  readonly element: string;
}

/** Runs `act` on the element the payload's ref names, freeing its handle afterwards. */
export async function withTarget<T>(
  instanceId: string,
  { ref, element }: ElementTarget,
  act: (target: Target) => Promise<T>,
): Promise<T> {
  const page = await pageFor(instanceId);
  try {
    const handle = await page.elementOf(ref, element);
    return await act({ page, handle, objectId: handle.objectId, element });
  } finally {
    page.releaseElements();
  }
}

/**
 * Scrolls the element into view and returns where mouse events for it go: the centre of its box,
 * in the viewport of `cdp`, the endpoint of its frame's process (see `pointerOf`); a clear error
 * when it has no box. Pass `cdp` on to {@link mouse} and {@link clickAt}.
 */
export function centre({ page, handle, element }: Target): Promise<{ cdp: Cdp; x: number; y: number }> {
  return pointerOf(page, handle, element);
}

/** Where mouse events go: a frame's endpoint from {@link centre}, or a page (its tab). */
type MouseTarget = Page | Cdp;

function endpoint(target: MouseTarget): Cdp {
  return 'session' in target ? target.session : target;
}

/** Dispatches one mouse event at CSS pixels (x, y) of the endpoint's viewport. */
export async function mouse(
  target: MouseTarget,
  type: string,
  x: number,
  y: number,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await endpoint(target).send('Input.dispatchMouseEvent', { type, x, y, ...extra });
}

/** DevTools' `buttons` bit of each mouse button. */
const BUTTON_BITS = { left: 1, right: 2, middle: 4 } as const;

/** DevTools' modifier bits; `ControlOrMeta` is Meta on macOS, as a user's shortcut would be. */
function modifierBits(modifiers: readonly (typeof MODIFIERS)[number][] = []): number {
  const mac = /mac/i.test(globalThis.navigator?.platform ?? '');
  const bits = { Alt: 1, Control: 2, Meta: 4, Shift: 8, ControlOrMeta: mac ? 4 : 2 } as const;
  return modifiers.reduce((all, name) => all | bits[name], 0);
}

/** A click at (x, y): `clicks` presses and releases of `button`, with `modifiers` held. */
export async function clickAt(
  page: MouseTarget,
  x: number,
  y: number,
  options: {
    readonly button?: keyof typeof BUTTON_BITS;
    readonly clicks?: number;
    readonly modifiers?: number;
  } = {},
): Promise<void> {
  const { button = 'left', clicks = 1, modifiers = 0 } = options;
  const events = [mouse(page, 'mouseMoved', x, y, { modifiers })];
  for (let clickCount = 1; clickCount <= clicks; clickCount++) {
    events.push(
      mouse(page, 'mousePressed', x, y, { button, buttons: BUTTON_BITS[button], clickCount, modifiers }),
      mouse(page, 'mouseReleased', x, y, { button, buttons: 0, clickCount, modifiers }),
    );
  }
  // Sent together: in a background tab Chrome acknowledges a lone mouse move only at its next
  // frame (about a second there); the press that follows flushes it, and order is kept.
  await Promise.all(events);
}

/** `dom.click`: real mouse events at the element's centre (double, right or middle, with modifiers). */
export const click: Handler<'dom.click'> = (instanceId, payload) =>
  withTarget(instanceId, payload, async (t) => {
    const { cdp, x, y } = await centre(t);
    const button = payload.button ?? 'left';
    const verb = payload.doubleClick
      ? 'Double-clicked'
      : button === 'left'
        ? 'Clicked'
        : `${button === 'right' ? 'Right' : 'Middle'}-clicked`;
    const held = payload.modifiers?.length ? ` with ${payload.modifiers.join('+')}` : '';
    return observe(t.page, `${verb} ${t.element}${held}`, () =>
      clickAt(cdp, x, y, {
        button,
        clicks: payload.doubleClick ? 2 : 1,
        modifiers: modifierBits(payload.modifiers),
      }),
    );
  });

/** `dom.hover`: moves the mouse over the element's centre. */
export const hover: Handler<'dom.hover'> = (instanceId, payload) =>
  withTarget(instanceId, payload, async (t) => {
    const { cdp, x, y } = await centre(t);
    return observe(t.page, `Hovered over ${t.element}`, () => mouse(cdp, 'mouseMoved', x, y));
  });

/** Calls `functionDeclaration` with the target element as `this` (our isolated world) and returns its value. */
export async function callOn<T>(t: Target, functionDeclaration: string, args: unknown[] = []): Promise<T> {
  const result = await t.handle.world.cdp.send<{
    result?: { value?: unknown };
    exceptionDetails?: { text?: string };
  }>('Runtime.callFunctionOn', {
    objectId: t.objectId,
    functionDeclaration,
    arguments: args.map((value) => ({ value })),
    returnByValue: true,
  });
  if (result.exceptionDetails)
    throw new ProtocolError('EDEBUGGER', `${t.element}: ${result.exceptionDetails.text}`);
  return result.result?.value as T;
}

/**
 * Selects the field's content, so typing replaces it; 'no' when the element takes no text.
 * (Elements are told apart by name, never `instanceof`: a same-origin frame's elements are walked
 * from the page's world, where the frame's constructors are other objects.)
 */
const SELECT_CONTENT = `function () {
  if (this.localName === 'input' || this.localName === 'textarea') {
    if (this.disabled || this.readOnly) return 'readonly';
    this.focus();
    this.select();
    return 'field';
  }
  if (this.isContentEditable) {
    this.focus();
    const range = this.ownerDocument.createRange();
    range.selectNodeContents(this);
    const selection = this.ownerDocument.defaultView.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return 'field';
  }
  return 'no';
}`;

/** `dom.type`: focuses the field, replaces its text (at once, or key by key when `slowly`), and presses Enter when `submit`. */
export const type: Handler<'dom.type'> = (instanceId, payload) =>
  withTarget(instanceId, payload, (t) =>
    observe(t.page, '', () =>
      typeInto(t, payload.text, { submit: payload.submit === true, slowly: payload.slowly === true }),
    ),
  );

/** Replaces the text of the field `t` with `text`; says what was done. */
export async function typeInto(
  t: Target,
  text: string,
  options: { readonly submit?: boolean; readonly slowly?: boolean } = {},
): Promise<string> {
  const { submit = false, slowly = false } = options;
  if (inOtherProcess(t.page, t.handle)) {
    // Keys go to the focused frame, and a frame of another process gets the focus from a click.
    const { cdp, x, y } = await centre(t);
    await clickAt(cdp, x, y);
  } else {
    await t.handle.world.cdp.send('DOM.scrollIntoViewIfNeeded', { objectId: t.objectId }).catch(() => {});
  }
  const kind = await callOn<string>(t, SELECT_CONTENT);
  if (kind !== 'field') {
    throw new ProtocolError(
      'EREFKIND',
      `${t.element} ${kind === 'readonly' ? 'is disabled or read-only' : 'is not a text field'}, so nothing was typed: ` +
        'use the ref of an editable field (textbox, searchbox).',
    );
  }
  if (text === '' || slowly) await pressKey(t.page, 'Delete');
  if (slowly) await typeKeys(t.page, text);
  else if (text !== '') await t.page.session.send('Input.insertText', { text });
  if (submit) await pressKey(t.page, 'Enter');
  const how = slowly ? ' key by key' : '';
  return `Typed ${JSON.stringify(text)} into ${t.element}${how}${submit ? ' and pressed Enter' : ''}`;
}

/** One keydown, keypress/input and keyup per character, as a keyboard types them. */
async function typeKeys(page: Page, text: string): Promise<void> {
  const events: Promise<unknown>[] = [];
  for (const character of text) {
    if (character === '\n' || character === '\r') {
      events.push(pressKey(page, 'Enter'));
      continue;
    }
    const upper = character.toUpperCase();
    const letter = /^[a-z]$/i.test(character);
    const digit = /^[0-9]$/.test(character);
    const keyCode = letter || digit ? upper.charCodeAt(0) : character === ' ' ? 32 : 0;
    const code = letter ? `Key${upper}` : digit ? `Digit${character}` : character === ' ' ? 'Space' : '';
    const base = { key: character, code, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode };
    events.push(
      page.session.send('Input.dispatchKeyEvent', {
        ...base,
        type: 'keyDown',
        text: character,
        unmodifiedText: character,
      }),
      page.session.send('Input.dispatchKeyEvent', { ...base, type: 'keyUp' }),
    );
  }
  // Sent together, in order: a long text does not pay one round trip per key.
  await Promise.all(events);
}

const SELECT_OPTIONS = `function (values) {
  if (this.localName !== 'select') return { error: 'is not a <select> element', wrongKind: true };
  const options = [...this.options];
  const picked = [];
  for (const value of values) {
    const option = options.find((o) => o.value === value) ?? options.find((o) => o.label.trim() === value || o.text.trim() === value);
    if (!option) return { error: 'has no option with value or label ' + JSON.stringify(value) + '; its options are ' + options.map((o) => JSON.stringify(o.label || o.value)).join(', ') };
    if (option.disabled) return { error: 'option ' + JSON.stringify(value) + ' is disabled' };
    picked.push(option);
  }
  if (!this.multiple && picked.length > 1) return { error: 'takes one option only' };
  for (const option of options) option.selected = picked.includes(option);
  this.dispatchEvent(new Event('input', { bubbles: true }));
  this.dispatchEvent(new Event('change', { bubbles: true }));
  return { selected: picked.map((o) => o.label || o.value) };
}`;

/** `dom.select`: selects options by value or visible label, firing input and change. */
export const select: Handler<'dom.select'> = (instanceId, payload) =>
  withTarget(instanceId, payload, (t) => observe(t.page, '', () => selectIn(t, payload.values)));

/** Selects `values` (by value or label) in the `<select>` `t`; says what was done. */
export async function selectIn(t: Target, values: readonly string[]): Promise<string> {
  const result = await callOn<{ error?: string; wrongKind?: true; selected?: string[] }>(t, SELECT_OPTIONS, [
    values,
  ]);
  if (result?.error) {
    throw new ProtocolError(result.wrongKind ? 'EREFKIND' : 'EBADARGS', `${t.element} ${result.error}.`);
  }
  return `Selected ${(result?.selected ?? []).join(', ')} in ${t.element}`;
}

/** Dispatches one key press (down, up) the way a keyboard would. */
export async function pressKey(page: Page, name: string): Promise<void> {
  let key: ReturnType<typeof parseKey>;
  try {
    key = parseKey(name);
  } catch (error) {
    throw new ProtocolError('EBADARGS', `${(error as Error).message}.`);
  }
  const base = {
    key: key.key,
    code: key.code,
    windowsVirtualKeyCode: key.keyCode,
    nativeVirtualKeyCode: key.keyCode,
    modifiers: key.modifiers,
  };
  await page.session.send('Input.dispatchKeyEvent', {
    ...base,
    type: key.text === undefined ? 'rawKeyDown' : 'keyDown',
    ...(key.text === undefined ? {} : { text: key.text, unmodifiedText: key.text }),
    ...(key.commands.length > 0 ? { commands: key.commands } : {}),
  });
  await page.session.send('Input.dispatchKeyEvent', { ...base, type: 'keyUp' });
}

/** `keyboard.press`: one key, or a combination such as Control+a. */
export const press: Handler<'keyboard.press'> = async (instanceId, { key }) => {
  const page = await pageFor(instanceId);
  return observe(page, `Pressed ${key}`, () => pressKey(page, key));
};
