import { HeartbeatError } from './errors.js';

/** setTimeout turns anything larger into 1 ms, which would make a "slow" heartbeat spin. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

function invalid(option: string, value: unknown, expected: string): HeartbeatError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new HeartbeatError('EINVALIDOPTION', `Invalid option ${option}: ${shown}; expected ${expected}.`);
}

/** @internal A whole number of milliseconds a timer can wait. */
export function checkMs(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw invalid(option, value, `a positive integer number of milliseconds, at most ${MAX_TIMER_MS}`);
  }
  return value;
}

/** @internal */
export function checkFunction<T>(option: string, value: unknown): T {
  if (typeof value !== 'function') throw invalid(option, value, 'a function');
  return value as T;
}

/** @internal */
export function checkOptionalFunction<T>(option: string, value: unknown): T | undefined {
  return value === undefined ? undefined : checkFunction<T>(option, value);
}

/** @internal */
export function checkBoolean(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(option, value, 'true or false');
  return value;
}

/** @internal A fraction in [0, 1). */
export function checkFraction(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw invalid(option, value, 'a number from 0 (inclusive) to 1 (exclusive)');
  }
  return value;
}

/** @internal */
export function checkSignal(option: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) throw invalid(option, value, 'an AbortSignal');
  return value;
}

/** @internal */
export function checkObject(option: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') throw invalid(option, value, 'an options object');
  return value as Record<string, unknown>;
}
