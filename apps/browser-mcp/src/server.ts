import type { Server } from 'node:http';
import { attachBridge, type Bridge } from './bridge.js';
import { bindServer, createHttpServer, hostUsageError, resolveListenAddress } from './http-server.js';
import type { ListInstances } from './instances.js';
import type { ServeOptions } from './options.js';
import { registerBrowserTools } from './tools.js';

/** A port held for this instance; `release` gives it back (the registry entry, once wired). */
export interface PortAllocation {
  readonly port: number;
  release(): Promise<void>;
  /** Synchronous best-effort release for the process `exit` event, when the async path never ran or never finished. */
  releaseSync?(): void;
}

/**
 * Chooses a port and binds the server on it through `bind`, inside the allocation, so nothing
 * can take the port in between. `bind` rejects with the listen error (`EADDRINUSE`…) so the
 * allocator can move on. `@ports/registry`'s `allocate({ bind })` fits this shape.
 */
export type AllocatePort = (request: {
  readonly bind: (port: number) => Promise<void>;
}) => Promise<PortAllocation>;

/** What {@link startBrowserMcp} wires together. */
export interface StartOptions {
  readonly options: ServeOptions;
  readonly version: string;
  readonly allocate: AllocatePort;
  /** Ports of the live instances, read-only (`portListRequest`). */
  readonly listPorts: () => Promise<readonly number[]>;
  readonly listInstances: ListInstances;
  readonly log: (line: string) => void;
}

/** A running server. */
export interface RunningBrowserMcp {
  readonly port: number;
  readonly instanceId: string;
  readonly bridge: Bridge;
  readonly allocation: PortAllocation;
  /** Closes the bridge, the HTTP server and the MCP connection, then releases the port; runs once. */
  shutdown(): Promise<void>;
}

/**
 * Allocates a port with the HTTP/WebSocket server bound inside the allocation, then serves MCP
 * over this process's stdio. Nothing but MCP messages is written to stdout.
 *
 * @example
 * ```ts
 * const running = await startBrowserMcp({ options, version, allocate, listPorts, listInstances, log });
 * process.once('SIGTERM', () => void running.shutdown().then(() => process.exit(0)));
 * ```
 */
export async function startBrowserMcp(start: StartOptions): Promise<RunningBrowserMcp> {
  const { options, log } = start;
  // Load the SDK while the port is being allocated: it is most of the start-up time.
  const sdk = Promise.all([
    import('@modelcontextprotocol/server'),
    import('@modelcontextprotocol/server/stdio'),
  ]);
  sdk.catch(() => {});

  const httpServer = createHttpServer();
  // Attached before binding so the first request after `listen` already finds its handlers.
  const bridge = attachBridge(httpServer, {
    instanceId: options.instanceId,
    allowOrigins: options.allowOrigins,
    listPorts: start.listPorts,
    commandTimeoutMs: options.commandTimeoutMs,
    log,
  });
  let allocation: PortAllocation;
  try {
    const address = await resolveListenAddress(options.host);
    allocation = await start.allocate({
      bind: (port) =>
        bindServer(httpServer, port, address).catch((error: unknown) => {
          throw hostUsageError(options.host, error) ?? error;
        }),
    });
  } catch (error) {
    await bridge.close();
    await closeHttpServer(httpServer);
    throw error;
  }
  const { port } = allocation;
  // Exactly this form, unprefixed: clients' logs, tests and the demo look for it.
  process.stderr.write(`listening on ${options.host}:${port} as ${options.instanceId}\n`);

  const [{ McpServer }, { serveStdio }] = await sdk;
  const mcp = serveStdio(
    () => {
      const server = new McpServer(
        { name: 'browser-mcp', version: start.version },
        {
          instructions:
            `Drives the user's browser through the Browser MCP extension, connected to port ${port}. ` +
            'Take a browser_snapshot before clicking or typing: actions need the element refs it returns.',
        },
      );
      registerBrowserTools(server, { bridge, listInstances: start.listInstances });
      return server;
    },
    { onerror: (error) => log(`MCP transport error: ${error.message}`) },
  );

  let shuttingDown: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    shuttingDown ??= (async () => {
      const results = await Promise.allSettled([bridge.close(), mcp.close(), closeHttpServer(httpServer)]);
      for (const result of results) {
        if (result.status === 'rejected') log(`error while shutting down: ${String(result.reason)}`);
      }
      await allocation.release();
    })();
    return shuttingDown;
  };

  return { port, instanceId: options.instanceId, bridge, allocation, shutdown };
}

function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
