import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type Binder, type BindTarget, bindOnce } from './bind.js';
import { ProbeError } from './errors.js';

/**
 * @internal Which binds answer "is this port in use".
 * `any`: one dual-stack bind on `::` conflicts with every local listener, IPv4 or IPv6, wildcard or
 * specific (measured; see the README's address matrix), so it is the whole probe; `0.0.0.0` is the
 * fallback on a machine without IPv6, where no IPv6 listener can exist.
 * `addresses`: the caller asked about one host: bind each of its addresses.
 */
export type ProbePlan =
  | { readonly kind: 'any' }
  | {
      readonly kind: 'addresses';
      readonly host: string;
      readonly addresses: readonly string[];
      readonly literal: boolean;
    };

/** @internal The dual-stack wildcard: IPV6_V6ONLY off, set explicitly whatever the sysctl says. */
export const DUAL_STACK: BindTarget = { host: '::', ipv6Only: false };
/** @internal The fallback when the machine has no IPv6. */
export const IPV4_ANY: BindTarget = { host: '0.0.0.0' };

/** @internal Resolves `host` once, so a range scan does not look it up per port. */
export async function planFor(host: string | undefined, signal?: AbortSignal): Promise<ProbePlan> {
  signal?.throwIfAborted();
  if (host === undefined) return { kind: 'any' };
  // Brackets are how URLs write IPv6; accept them rather than fail a lookup of "[::1]".
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0) return { kind: 'addresses', host, addresses: [bare], literal: true };
  let results: { address: string }[];
  try {
    results = await abortable(lookup(bare, { all: true }), signal);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new ProbeError(
      'EHOSTUNAVAILABLE',
      `options.host ${JSON.stringify(host)} could not be resolved (${(error as NodeJS.ErrnoException).code ?? error}); pass an IP address or a name this machine resolves`,
      { cause: error },
    );
  }
  const addresses = [...new Set(results.map((result) => result.address))];
  return { kind: 'addresses', host, addresses, literal: false };
}

/** @internal Runs `plan` for `port`: true when a server's bind there could fail. */
export async function probeWithPlan(
  port: number,
  plan: ProbePlan,
  signal?: AbortSignal,
  bind: Binder = bindOnce,
): Promise<boolean> {
  if (plan.kind === 'any') {
    const outcome = await bind(port, DUAL_STACK, signal);
    if (outcome !== 'unsupported') return outcome === 'busy';
    const fallback = await bind(port, IPV4_ANY, signal);
    if (fallback === 'unsupported') {
      throw new ProbeError(
        'EPROBEFAILED',
        `could not probe port ${port}: this machine can bind neither :: nor 0.0.0.0; check that TCP networking is available`,
      );
    }
    return fallback === 'busy';
  }
  let probed = 0;
  // Sequential on purpose: two of our own binds on overlapping addresses would see each other.
  for (const address of plan.addresses) {
    const outcome = await bind(port, { host: address }, signal);
    if (outcome === 'busy') return true;
    if (outcome === 'free') probed += 1;
    else if (plan.literal) throw hostUnavailable(plan.host, `${address} is not an address of this machine`);
  }
  if (probed === 0) {
    throw hostUnavailable(
      plan.host,
      `none of its addresses (${plan.addresses.join(', ')}) can be bound on this machine`,
    );
  }
  return false;
}

function hostUnavailable(host: string, why: string): ProbeError {
  return new ProbeError(
    'EHOSTUNAVAILABLE',
    `options.host ${JSON.stringify(host)} cannot be probed: ${why}; pass a local address, or omit host to probe every address`,
  );
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
