import { type ElementTarget, type Handler, ProtocolError } from '@ports/browser-protocol';
import type { Cdp } from '../cdp.js';
import { inOtherProcess, pointerOf } from '../element-geometry.js';
import { parseKey } from '../keys.js';
import type { ElementHandle, Page } from '../page.js';
import { pageFor } from './context.js';

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
    await page.releaseElements();
  }
}

/**
 * Where mouse events for the target go, scrolled into view: the endpoint of its frame's process
 * and the centre of its box there (see `pointerOf`); a clear error when it has no box.
 */
export function centre({ page, handle, element }: Target): Promise<{ cdp: Cdp; x: number; y: number }> {
  return pointerOf(page, handle, element);
}

/** One mouse event at (x, y) of `cdp`'s viewport: the point's endpoint from {@link centre}. */
export async function mouse(
  cdp: Cdp,
  type: string,
  x: number,
  y: number,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await cdp.send('Input.dispatchMouseEvent', { type, x, y, ...extra });
}

/** A left click at a point {@link centre} gave. */
export async function clickAt({ cdp, x, y }: { cdp: Cdp; x: number; y: number }): Promise<void> {
  // Sent together: in a background tab Chrome acknowledges a lone mouse move only at its next
  // frame (about a second there); the press that follows flushes it, and order is kept.
  await Promise.all([
    mouse(cdp, 'mouseMoved', x, y),
    mouse(cdp, 'mousePressed', x, y, { button: 'left', buttons: 1, clickCount: 1 }),
    mouse(cdp, 'mouseReleased', x, y, { button: 'left', buttons: 0, clickCount: 1 }),
  ]);
}

/** `dom.click`: real mouse events at the element's centre. */
export const click: Handler<'dom.click'> = (instanceId, payload) =>
  withTarget(instanceId, payload, async (t) => {
    await clickAt(await centre(t));
    return { message: `Clicked ${t.element}` };
  });

/** `dom.hover`: moves the mouse over the element's centre. */
export const hover: Handler<'dom.hover'> = (instanceId, payload) =>
  withTarget(instanceId, payload, async (t) => {
    const { cdp, x, y } = await centre(t);
    await mouse(cdp, 'mouseMoved', x, y);
    return { message: `Hovered over ${t.element}` };
  });

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

/** Selects the field's content, so typing replaces it; 'no' when the element takes no text. */
const SELECT_CONTENT = `function () {
  if (this instanceof HTMLInputElement || this instanceof HTMLTextAreaElement) {
    if (this.disabled || this.readOnly) return 'readonly';
    this.focus();
    this.select();
    return 'field';
  }
  if (this.isContentEditable) {
    this.focus();
    const range = document.createRange();
    range.selectNodeContents(this);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return 'field';
  }
  return 'no';
}`;

/** `dom.type`: focuses the field, replaces its text, and presses Enter when `submit`. */
export const type: Handler<'dom.type'> = (instanceId, payload) =>
  withTarget(instanceId, payload, (t) => typeInto(t, payload.text, payload.submit === true));

async function typeInto(t: Target, text: string, submit: boolean) {
  if (inOtherProcess(t.page, t.handle)) {
    // Keys go to the focused frame, and a frame of another process gets the focus from a click.
    await clickAt(await centre(t));
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
  if (text === '') await pressKey(t.page, 'Delete');
  else await t.page.session.send('Input.insertText', { text });
  if (submit) await pressKey(t.page, 'Enter');
  return { message: `Typed ${JSON.stringify(text)} into ${t.element}${submit ? ' and pressed Enter' : ''}` };
}

const SELECT_OPTIONS = `function (values) {
  if (!(this instanceof HTMLSelectElement)) return { error: 'is not a <select> element', wrongKind: true };
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
  withTarget(instanceId, payload, async (t) => {
    const result = await callOn<{ error?: string; wrongKind?: true; selected?: string[] }>(
      t,
      SELECT_OPTIONS,
      [payload.values],
    );
    if (result?.error) {
      throw new ProtocolError(result.wrongKind ? 'EREFKIND' : 'EBADARGS', `${t.element} ${result.error}.`);
    }
    return { message: `Selected ${(result?.selected ?? []).join(', ')} in ${t.element}` };
  });

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
  await pressKey(page, key);
  return { message: `Pressed ${key}` };
};
