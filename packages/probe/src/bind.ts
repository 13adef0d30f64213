import { createServer } from 'node:net';
import { ProbeError } from './errors.js';

/**
 * @internal What one bind attempt says about a port on one address:
 * - `free`: we could listen there (and have closed the socket again);
 * - `busy`: a server doing the same bind would fail;
 * - `unsupported`: this machine cannot bind that address at all (no IPv6, address not local).
 */
export type BindOutcome = 'free' | 'busy' | 'unsupported';

/** @internal One address to try, as `net.Server#listen` takes it. */
export interface BindTarget {
  readonly host: string;
  readonly ipv6Only?: boolean;
}

/** @internal The bind primitive; injectable so the probing plan can be tested without a kernel. */
export type Binder = (port: number, target: BindTarget, signal?: AbortSignal) => Promise<BindOutcome>;

// EACCES is what a port below net.ipv4.ip_unprivileged_port_start gives a non-root user: the bind
// our caller's server would do fails just the same, so for "can I use this port" it is taken.
const BUSY_CODES: ReadonlySet<string> = new Set(['EADDRINUSE', 'EACCES']);
// A kernel without IPv6 refuses the socket (EAFNOSUPPORT); one with IPv6 switched off refuses the
// address (EADDRNOTAVAIL). Neither says anything about who holds the port.
const UNSUPPORTED_CODES: ReadonlySet<string> = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EPROTONOSUPPORT']);

/** @internal Maps a bind error to an outcome, or `undefined` when the error says nothing about the port. */
export function classifyBindError(error: unknown): BindOutcome | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return undefined;
  if (BUSY_CODES.has(code)) return 'busy';
  if (UNSUPPORTED_CODES.has(code)) return 'unsupported';
  return undefined;
}

/**
 * @internal Listens on `target` and closes at once. Node binds one tick after `listen()` (after its
 * lookup of the literal); `close()` before that cancels the bind, and `close()` after it closes the
 * descriptor synchronously. So whenever the promise settles, including on abort or error, the probe
 * holds no socket.
 */
export const bindOnce: Binder = (port, target, signal) =>
  new Promise<BindOutcome>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const server = createServer();
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = (): void => {
      server.close();
      finish(() => reject(signal?.reason));
    };
    // Stays attached after settling: Node emits a bind error on the next tick, even after an abort.
    server.on('error', (error: NodeJS.ErrnoException) => {
      server.close();
      const outcome = classifyBindError(error);
      finish(() => {
        if (outcome) resolve(outcome);
        else reject(probeFailed(port, target, error));
      });
    });
    // Also closes a socket bound after an abort, should a Node version not cancel that bind.
    server.once('listening', () => {
      // close() shuts the descriptor at once; only Node's close callback waits for the next turn
      // of the event loop, and nothing here needs it.
      server.close();
      finish(() => resolve('free'));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      server.listen({ port, host: listenHost(target), ipv6Only: target.ipv6Only ?? false, exclusive: true });
    } catch (error) {
      server.close();
      finish(() => reject(probeFailed(port, target, error)));
    }
  });

/**
 * Node resolves any `host` before it binds (`dns.lookup`, whose first use in a process loads the
 * module and compiles Node's IPv6 pattern: ~4 ms of the first probe, measured). Given no host, it
 * binds the dual-stack wildcard itself, IPV6_V6ONLY explicitly off, falling back to 0.0.0.0 where
 * IPv6 is missing: the very bind `{ host: '::', ipv6Only: false }` asks for, with no lookup.
 */
function listenHost(target: BindTarget): string | undefined {
  return target.host === '::' && target.ipv6Only === false ? undefined : target.host;
}

function probeFailed(port: number, target: BindTarget, cause: unknown): ProbeError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return new ProbeError(
    'EPROBEFAILED',
    `could not probe port ${port} on ${target.host}: the system refused the test bind with ${code}, which says nothing about whether the port is taken; fix the cause and retry`,
    { cause },
  );
}
