import type { Readable } from 'node:stream';

/** What a line must match: a substring, a regular expression or a predicate. */
export type LineMatcher = string | RegExp | ((line: string) => boolean);

/** Options for the helpers that wait for a line. */
export interface WaitForLineOptions {
  /** Give up after this many milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  /** Give up when aborted; rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** @internal Whether `line` satisfies `matcher`. */
export function lineMatches(line: string, matcher: LineMatcher): boolean {
  if (typeof matcher === 'string') return line.includes(matcher);
  if (matcher instanceof RegExp) return matcher.test(line);
  return matcher(line);
}

/**
 * Splits a stream into lines and keeps every line seen, so a waiter never misses a line
 * that arrived before it started waiting. Each successful wait consumes the lines up to
 * and including the match.
 */
export class LineBuffer {
  readonly lines: string[] = [];
  #partial = '';
  #cursor = 0;
  #ended = false;
  #listeners = new Set<() => void>();

  constructor(stream: Readable | null | undefined) {
    if (!stream) {
      this.#ended = true;
      return;
    }
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.#push(chunk));
    stream.on('end', () => this.#end());
    stream.on('close', () => this.#end());
  }

  /** Everything received so far, as one string. */
  get text(): string {
    return this.lines.join('\n') + (this.#partial ? `\n${this.#partial}` : '');
  }

  /** Resolves with the first unconsumed line that matches; rejects on timeout, abort or stream end. */
  waitFor(matcher: LineMatcher, options: WaitForLineOptions = {}): Promise<string> {
    const { timeoutMs = 10_000, signal } = options;
    return new Promise<string>((resolve, reject) => {
      const check = (): boolean => {
        for (let i = this.#cursor; i < this.lines.length; i++) {
          const line = this.lines[i] as string;
          if (lineMatches(line, matcher)) {
            this.#cursor = i + 1;
            finish(() => resolve(line));
            return true;
          }
        }
        if (this.#ended) {
          finish(() =>
            reject(new Error(`stream ended before a line matching ${String(matcher)}; got:\n${this.text}`)),
          );
          return true;
        }
        return false;
      };
      const onAbort = (): void => finish(() => reject(signal?.reason));
      const timer = setTimeout(() => {
        finish(() =>
          reject(new Error(`no line matching ${String(matcher)} within ${timeoutMs} ms; got:\n${this.text}`)),
        );
      }, timeoutMs);
      const listener = (): void => {
        check();
      };
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      if (signal?.aborted) return onAbort();
      if (check()) return;
      this.#listeners.add(listener);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #push(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop() ?? '';
    this.lines.push(...parts.map((part) => part.replace(/\r$/, '')));
    this.#notify();
  }

  #end(): void {
    if (this.#ended) return;
    if (this.#partial) this.lines.push(this.#partial);
    this.#partial = '';
    this.#ended = true;
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/**
 * Waits for a line matching `matcher` on `stream`, counting only lines that arrive from now on.
 *
 * @example
 * ```ts
 * await waitForLine(child.stderr, /listening on/, { timeoutMs: 5000 });
 * ```
 */
export function waitForLine(
  stream: Readable,
  matcher: LineMatcher,
  options: WaitForLineOptions = {},
): Promise<string> {
  return new LineBuffer(stream).waitFor(matcher, options);
}
