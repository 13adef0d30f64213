import { describe, expect, it } from 'vitest';
import { catchError } from '../test/catch-error.js';
import { CmgrConfigError } from './errors.js';
import { validateInstanceName } from './name.js';

describe('validateInstanceName', () => {
  it.each(['a', '0', 'work', 'home-2', 'a_b', 'x'.repeat(32), '9work'])('accepts %j', (name) => {
    expect(validateInstanceName(name)).toBe(name);
  });

  it.each([
    '',
    '../etc',
    'a/b',
    'has space',
    'quo"te',
    "quo'te",
    'Upper',
    'x'.repeat(33),
    '-lead',
    '_lead',
    'tab\t',
    'new\nline',
    'ünï',
    'a.b',
  ])('rejects %j with EINVALIDNAME naming the value', (name) => {
    const error = catchError(() => validateInstanceName(name));
    expect(error).toBeInstanceOf(CmgrConfigError);
    expect(error.code).toBe('EINVALIDNAME');
    expect(error.message).toContain(JSON.stringify(name).slice(0, 40));
  });

  it.each([undefined, null, 42, {}, ['work']])('rejects the non-string %j', (name) => {
    expect(catchError(() => validateInstanceName(name)).code).toBe('EINVALIDNAME');
  });

  it('keeps the message one line and short for a huge value', () => {
    const { message } = catchError(() => validateInstanceName(`${'a'.repeat(5000)}\n`));
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(250);
  });
});
