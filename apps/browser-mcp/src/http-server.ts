import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { UsageError } from './errors.js';

/**
 * Creates the HTTP server the extension bridge runs on, not yet listening, so the port
 * allocator can bind it on the port it chooses ({@link bindServer}).
 */
export function createHttpServer(): Server {
  const server = createServer();
  // The extension keeps its WebSocket open for hours; only plain requests get these limits.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  return server;
}

/**
 * Makes `server` listen on `host:port`. Resolves once it listens; rejects with the listen
 * error as is (`code: 'EADDRINUSE'`, `'EACCES'`…) so an allocator can move to the next port.
 * The server can be bound again after a rejection.
 *
 * @example
 * ```ts
 * const server = createHttpServer();
 * await bindServer(server, 8765, '127.0.0.1');
 * ```
 */
export function bindServer(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // exclusive: never share the port with another process through cluster handles.
    server.listen({ port, host, exclusive: true });
  });
}

/** Listen errors that are about the address, not the port: no other port would do better. */
const HOST_ERRORS: Readonly<Record<string, string>> = {
  EADDRNOTAVAIL: 'is not an address of this machine',
  ENOTFOUND: 'could not be resolved',
  EAI_FAIL: 'could not be resolved',
  EAI_NONAME: 'could not be resolved',
};

/**
 * The {@link UsageError} to report when `error`, from listening on `host`, says that `--host` is
 * wrong rather than that the port is taken; `undefined` for any other error.
 */
export function hostUsageError(host: string, error: unknown): UsageError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code === undefined ? undefined : HOST_ERRORS[code];
  if (reason === undefined) return undefined;
  return new UsageError(
    `--host ${host} ${reason} (${code}); give an address of this machine, such as 127.0.0.1 or ::1`,
  );
}

/**
 * The address to listen on for `--host`: an IP address as it is, a name resolved once (as Node's
 * `listen` would, first address) so no lookup runs per port inside the registry lock.
 *
 * @throws {UsageError} for a name that does not resolve; other lookup errors (a name server that
 * did not answer) as they are.
 */
export async function resolveListenAddress(host: string): Promise<string> {
  if (isIP(host) !== 0) return host;
  try {
    // Loaded only for a name: the default 127.0.0.1 needs no resolver.
    const { lookup } = await import('node:dns/promises');
    return (await lookup(host)).address;
  } catch (error) {
    throw hostUsageError(host, error) ?? error;
  }
}

/** The port `server` listens on, or `undefined` when it is not listening on TCP. */
export function listeningPort(server: Server): number | undefined {
  const address = server.address();
  return address !== null && typeof address === 'object' ? address.port : undefined;
}
