/**
 * The limits both ends of the wire rely on, defined once: the server's timeouts are set so the
 * extension's own, more precise error arrives first.
 */
export const LIMITS = {
  /** How long the server waits for the extension to answer one command, by default. */
  commandTimeoutMs: 30_000,
  /** How long a page may take to load before navigate, back or forward give up (extension). */
  loadTimeoutMs: 30_000,
  /** Added to the command timeout for commands that wait for a load, so the load error arrives first. */
  navigationMarginMs: 5_000,
  /** The longest `browser_wait` / `browser_wait_for` wait. */
  maxWaitMs: 30_000,
  /** Added to a `browser_wait_for` wait, so the extension's own timeout error arrives first. */
  waitForMarginMs: 5_000,
  /**
   * The longest one command may hold its instance's queue in the extension (the server gave up
   * long before): a stuck page must not stall every command after it.
   */
  commandBoundMs: 60_000,
  /** Console entries kept per tab since its last navigation. */
  maxConsoleEntries: 1_000,
  /** Fields in one `browser_fill_form` call. */
  maxFormFields: 100,
  /** Files in one `browser_file_upload` call. */
  maxUploadFiles: 100,
  /** Characters of one `browser_evaluate` function. */
  maxFunctionLength: 100_000,
  /** Characters of a `browser_evaluate` result's JSON the server passes on (the rest is cut). */
  maxEvaluateResultChars: 100_000,
  /** Characters of text one `browser_type` call types. */
  maxTypeLength: 100_000,
  /** Smallest and largest viewport side `browser_resize` sets, in CSS pixels. */
  minViewportSide: 100,
  maxViewportSide: 10_000,
  /** Pixels of the longest side of a full-page screenshot (Chrome's own cap on a capture). */
  maxScreenshotSide: 16_384,
} as const;
