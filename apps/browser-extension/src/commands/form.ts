import { type FormField, type Handler, ProtocolError } from '@ports/browser-protocol';
import { pageFor } from './context.js';
import { callOn, centre, clickAt, selectIn, type Target, typeInto } from './input.js';
import { observe } from './observe.js';

/** What kind of control an element is, as `browser_fill_form` types them; `''` for none of them. */
const KIND_OF = `function () {
  const role = (this.getAttribute('role') || '').trim().split(/\\s+/)[0];
  // By name, never instanceof: a same-origin frame's elements are another realm's (see input.ts).
  if (this.localName === 'input') {
    const type = (this.type || 'text').toLowerCase();
    if (type === 'checkbox') return { kind: 'checkbox', checked: this.checked };
    if (type === 'radio') return { kind: 'radio', checked: this.checked };
    if (type === 'range') return { kind: 'slider' };
    if (['button', 'submit', 'reset', 'image', 'file', 'hidden', 'color'].includes(type)) return { kind: '' };
    return { kind: 'textbox' };
  }
  if (this.localName === 'textarea' || this.isContentEditable) return { kind: 'textbox' };
  if (this.localName === 'select') return { kind: 'combobox' };
  if (role === 'checkbox' || role === 'switch') return { kind: 'checkbox', checked: this.getAttribute('aria-checked') === 'true' };
  if (role === 'radio') return { kind: 'radio', checked: this.getAttribute('aria-checked') === 'true' };
  return { kind: role === 'textbox' || role === 'searchbox' ? 'textbox' : '' };
}`;

/** Sets a range input's value as a user's drag does: the value, then input and change. */
const SET_SLIDER = `function (value) {
  const before = this.value;
  this.focus();
  this.value = value;
  if (this.value !== value && Number(this.value) !== Number(value)) {
    this.value = before;
    return 'takes values from ' + this.min + ' to ' + this.max + (this.step && this.step !== 'any' ? ' in steps of ' + this.step : '') + ', not ' + JSON.stringify(value);
  }
  this.dispatchEvent(new Event('input', { bubbles: true }));
  this.dispatchEvent(new Event('change', { bubbles: true }));
  return '';
}`;

/**
 * `browser_fill_form`: fills the fields in order, each with the events a user's input makes
 * (typed text, a real click on a checkbox or radio, a chosen option, a moved slider). A field
 * that fails stops the call; the error names it and the fields filled before it.
 */
export const fillForm: Handler<'browser_fill_form'> = async (instanceId, { fields }) => {
  const page = await pageFor(instanceId);
  const filled: string[] = [];
  return observe(page, '', async () => {
    for (const field of fields) {
      try {
        const handle = await page.elementOf(field.ref, field.name);
        await fill({ page, handle, objectId: handle.objectId, element: field.name }, field);
      } catch (error) {
        const before =
          filled.length > 0
            ? `Filled before it: ${filled.map((name) => JSON.stringify(name)).join(', ')}.`
            : 'No field was filled before it.';
        const code = error instanceof ProtocolError ? error.code : 'EDEBUGGER';
        throw new ProtocolError(
          code,
          `Field ${JSON.stringify(field.name)} (${field.type}, ref ${field.ref}) failed: ${(error as Error).message} ${before}`,
          { cause: error },
        );
      } finally {
        page.releaseElements();
      }
      filled.push(field.name);
    }
    return `Filled ${filled.length} field(s): ${filled.map((name) => JSON.stringify(name)).join(', ')}`;
  });
};

async function fill(t: Target, field: FormField): Promise<void> {
  const { kind, checked } = (await callOn<{ kind: string; checked?: boolean }>(t, KIND_OF)) ?? { kind: '' };
  if (kind !== field.type) {
    throw new ProtocolError(
      'EREFKIND',
      `the element is ${kind ? `a ${kind}` : 'not a form field'}, not a ${field.type}.`,
    );
  }
  switch (field.type) {
    case 'textbox':
      await typeInto(t, field.value);
      return;
    case 'combobox':
      await selectIn(t, [field.value]);
      return;
    case 'slider': {
      const problem = await callOn<string>(t, SET_SLIDER, [field.value]);
      if (problem) throw new ProtocolError('EBADARGS', `the slider ${problem}.`);
      return;
    }
    case 'checkbox':
    case 'radio': {
      if (field.value !== 'true' && field.value !== 'false') {
        throw new ProtocolError(
          'EBADARGS',
          `a ${field.type} takes "true" or "false", not ${JSON.stringify(field.value)}.`,
        );
      }
      const want = field.value === 'true';
      if (checked === want) return;
      if (field.type === 'radio' && !want) {
        throw new ProtocolError(
          'EBADARGS',
          'a radio button cannot be unchecked: check another one of its group.',
        );
      }
      const { cdp, x, y } = await centre(t);
      await clickAt(cdp, x, y);
      const now = (await callOn<{ checked?: boolean }>(t, KIND_OF))?.checked;
      if (now !== want)
        throw new ProtocolError('EFAILED', `clicking it did not ${want ? 'check' : 'uncheck'} it.`);
    }
  }
}
