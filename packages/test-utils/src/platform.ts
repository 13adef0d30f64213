import { existsSync } from 'node:fs';

/**
 * Whether `/proc` is mounted here (checked by `/proc/self/stat`, not by the platform's name): tests of
 * a Linux-only feature that needs it skip where it is hidden (the CI leg with an empty tmpfs over
 * /proc) or absent (macOS, Windows).
 */
export const procMounted: boolean = existsSync('/proc/self/stat');

/** The reason such a test gives when it skips: `needs /proc (<what>)`. */
export function needsProc(what: string): string {
  return `needs /proc (${what}); /proc is not mounted here`;
}
