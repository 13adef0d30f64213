import { describe, expect, it } from 'vitest';
import { ProtocolError } from './errors.js';
import { array, boolean, number, object, oneOf, optional, string } from './schema.js';

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe('EBADARGS');
    return (error as Error).message;
  }
  throw new Error('did not throw');
}

describe('schemas', () => {
  const field = object({
    name: string({ min: 1 }),
    type: oneOf(['textbox', 'checkbox'] as const),
    tries: optional(number({ int: true, min: 1, max: 3 })),
    on: optional(boolean()),
  });
  const form = object({ fields: array(field, { min: 1, max: 2 }) });

  it('returns the value typed, leaving absent optional fields absent and dropping unknown ones', () => {
    const parsed = form.parse({ fields: [{ name: 'a', type: 'textbox', x: 1 }] }, '');
    expect(parsed).toEqual({ fields: [{ name: 'a', type: 'textbox' }] });
    expect('tries' in (parsed.fields[0] ?? {})).toBe(false);
  });

  it('names the field by its path and says what it got', () => {
    expect(message(() => form.parse({ fields: [{ name: 'a', type: 'radio' }] }, ''))).toBe(
      `'fields[0].type' must be one of "textbox", "checkbox", got "radio".`,
    );
    expect(message(() => form.parse({ fields: [{ name: '', type: 'textbox' }] }, ''))).toContain(
      `'fields[0].name' must be a non-empty string, got "".`,
    );
    expect(message(() => form.parse({ fields: [{ name: 'a', type: 'textbox', tries: 1.5 }] }, ''))).toContain(
      'a whole number at least 1 and at most 3',
    );
    expect(message(() => form.parse({ fields: [] }, ''))).toContain("'fields' must be an array");
    expect(message(() => form.parse(null, 'payload'))).toBe("'payload' must be an object, got null.");
    expect(message(() => number().parse(Number.NaN, 'n'))).toContain("'n' must be a number");
  });
});
