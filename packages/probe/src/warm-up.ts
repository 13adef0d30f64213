import { createServer } from 'node:net';

let warming: Promise<void> | undefined;

/**
 * Pays this process's one-time cost of its first bind ahead of time. Node sets up a lot on the
 * first `listen()` of a process (it loads its `cluster` module and the TCP bindings): ~1–2 ms here,
 * against ~0.1 ms for every later probe. Call this before entering a critical section that probes,
 * such as a registry lock, so the first probe inside it is as cheap as the rest.
 *
 * It binds an ephemeral port (chosen by the system, so never one anybody asked for) the way the
 * default probe binds, on the wildcard address without a host lookup, and closes it at once. Runs once per process; later calls return the same promise.
 * Never rejects: a failed warm-up only means the first real probe pays the cost.
 *
 * @example
 * ```ts source="./index.examples.ts#warmUp"
 * await warmUp();
 * await withLock(lockPath, async () => {
 *   if (!(await isPortInUse(8765))) claim(8765);
 * });
 * ```
 */
export function warmUp(): Promise<void> {
  warming ??= new Promise<void>((resolve) => {
    const server = createServer();
    server.once('error', () => {
      server.close();
      resolve();
    });
    // close() shuts the descriptor at once; its callback would only add a turn of the event loop.
    server.listen({ port: 0, exclusive: true }, () => {
      server.close();
      resolve();
    });
  });
  return warming;
}
