const ignore = (): void => {};

/**
 * Writes `text` to stderr without ever crashing the process. When the reader of a piped
 * stderr has gone away, the write fails with EPIPE and the stream then emits `'error'`, which with
 * no listener is an uncaught exception. A listener is added for that one event, from the write's
 * callback, which runs just before it. Added even when stderr has listeners already: the one a
 * `pipe()` into stderr adds re-emits the error when it finds itself alone.
 */
export function writeStderr(text: string): void {
  const stream = process.stderr;
  try {
    stream.write(text, (error) => {
      if (error && !stream.listeners('error').includes(ignore)) stream.once('error', ignore);
    });
  } catch {
    // A stderr that throws at once: the line is lost, the process is not.
  }
}
