import { ProtocolError } from './errors.js';

/**
 * A validator that is also the type: `parse` returns the value typed, or throws a
 * {@link ProtocolError} `EBADARGS` that names the field (`path`) and what it got.
 */
export interface Schema<T> {
  readonly parse: (value: unknown, path: string) => T;
  /** True for {@link optional}: an object may leave the field out. */
  readonly optional?: boolean;
  /** What the field must be, in words (for errors). */
  readonly expected: string;
}

/** The type a schema parses to. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

function fail(path: string, expected: string, value: unknown): never {
  const got = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value)).slice(0, 80);
  throw new ProtocolError('EBADARGS', `'${path}' must be ${expected}, got ${got}.`);
}

function schema<T>(expected: string, check: (value: unknown) => boolean): Schema<T> {
  return {
    expected,
    parse: (value, path) => (check(value) ? (value as T) : fail(path, expected, value)),
  };
}

/** A string, at least `min` (default 0) and at most `max` characters long. */
export function string(options: { readonly min?: number; readonly max?: number } = {}): Schema<string> {
  const { min = 0, max = Number.POSITIVE_INFINITY } = options;
  const expected = min > 0 ? 'a non-empty string' : 'a string';
  return schema(
    max < Number.POSITIVE_INFINITY ? `${expected} of at most ${max} characters` : expected,
    (v) => typeof v === 'string' && v.length >= min && v.length <= max,
  );
}

/** `true` or `false`. */
export function boolean(): Schema<boolean> {
  return schema('true or false', (v) => typeof v === 'boolean');
}

/** A finite number, optionally whole and within `[min, max]`. */
export function number(
  options: { readonly int?: boolean; readonly min?: number; readonly max?: number } = {},
): Schema<number> {
  const { int = false, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = options;
  const range = [
    Number.isFinite(min) ? `at least ${min}` : '',
    Number.isFinite(max) ? `at most ${max}` : '',
  ].filter(Boolean);
  const expected = `${int ? 'a whole number' : 'a number'}${range.length > 0 ? ` ${range.join(' and ')}` : ''}`;
  return schema(
    expected,
    (v) =>
      typeof v === 'number' && Number.isFinite(v) && (!int || Number.isInteger(v)) && v >= min && v <= max,
  );
}

/** One of `values`. */
export function oneOf<const V extends readonly (string | number | boolean)[]>(values: V): Schema<V[number]> {
  return schema(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v) =>
    (values as readonly unknown[]).includes(v),
  );
}

/** An array of `item`, with at least `min` and at most `max` entries. */
export function array<T>(
  item: Schema<T>,
  options: { readonly min?: number; readonly max?: number } = {},
): Schema<readonly T[]> {
  const { min = 0, max = Number.POSITIVE_INFINITY } = options;
  const expected = `an array of ${item.expected}${min > 0 ? `, at least ${min}` : ''}${
    max < Number.POSITIVE_INFINITY ? `, at most ${max}` : ''
  }`;
  return {
    expected,
    parse: (value, path) => {
      if (!Array.isArray(value) || value.length < min || value.length > max) fail(path, expected, value);
      return value.map((entry, index) => item.parse(entry, `${path}[${index}]`));
    },
  };
}

/** `inner`, or absent (`undefined`). */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return {
    expected: inner.expected,
    optional: true,
    parse: (value, path) => (value === undefined ? undefined : inner.parse(value, path)),
  };
}

type Shape = Readonly<Record<string, Schema<unknown>>>;
type OptionalKeys<S extends Shape> = {
  [K in keyof S]: undefined extends Infer<S[K]> ? K : never;
}[keyof S];

/** The object type a shape describes; optional fields may be left out. */
export type ObjectOf<S extends Shape> = {
  readonly [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]>;
} & { readonly [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> };

/**
 * An object with `shape`'s fields. Fields it does not name are dropped, so an older extension
 * reads a newer server's payload; absent optional fields stay absent.
 *
 * @example
 * ```ts source="./index.examples.ts#object"
 * const click = object({ ref: string({ min: 1 }), doubleClick: optional(boolean()) });
 * click.parse({ ref: 'e1' }, 'payload'); // { ref: 'e1' }
 * ```
 */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const expected = 'an object';
  return {
    expected,
    parse: (value, path) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, expected, value);
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(shape)) {
        const parsed = field.parse(record[key], path === '' ? key : `${path}.${key}`);
        if (parsed !== undefined) out[key] = parsed;
      }
      return out as ObjectOf<S>;
    },
  };
}
