import { type IsPortInUseOptions, validatePort, validateProbeOptions } from './options.js';
import { planFor, probeWithPlan } from './plan.js';

/**
 * Whether a server binding `port` could fail because something already holds it.
 *
 * Without `host`, a listener on any local address counts: `127.0.0.1`, `0.0.0.0`, `::1`, `::`
 * (dual-stack or IPv6-only) or a specific interface address, with a single test bind. With `host`,
 * only a listener that conflicts with a bind on that address counts (every address, for a name).
 * A port you may not bind (below 1024 for a non-root user) also answers `true`.
 *
 * @throws {ProbeError} `EINVALIDPORT` for a bad port, `EINVALIDOPTION` for a bad option,
 * `EHOSTUNAVAILABLE` when `host` is not local, `EPROBEFAILED` when the system refuses the test bind
 * for another reason. Rejects with `signal.reason` when aborted.
 *
 * @example
 * ```ts source="./index.examples.ts#isPortInUse"
 * if (await isPortInUse(8765)) console.error('8765 is taken');
 * await isPortInUse(8765, { host: '127.0.0.1' }); // only what conflicts with 127.0.0.1
 * ```
 */
export async function isPortInUse(port: number, options?: IsPortInUseOptions): Promise<boolean> {
  validatePort(port);
  const { host, signal } = validateProbeOptions(options);
  const plan = await planFor(host, signal);
  return probeWithPlan(port, plan, signal);
}
