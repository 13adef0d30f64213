import type { Server } from 'node:http';
import { attachBridge, type Bridge } from './bridge.js';
import { BrowserMcpError } from './errors.js';
import type { FastInitialize } from './fast-initialize.js';
import { bindServer, createHttpServer, hostUsageError, resolveListenAddress } from './http-server.js';
import { INSTRUCTIONS } from './identity.js';
import type { ListInstances } from './instances.js';
import { instanceLabel } from './label.js';
import type { ServeOptions } from './options.js';
import type { PairingKeySource } from './pairing/server-key.js';
import type { SendCommand } from './tools.js';

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
  /** This user's pairing key, which every extension must prove it knows. */
  readonly pairing: PairingKeySource;
  /** The working folder, whose name goes into the default label (default: `process.cwd()`). */
  readonly cwd?: string;
  /** The MCP channel (default: this process's stdin and stdout). */
  readonly stdio?: FastInitialize;
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
 * Serves MCP over this process's stdio at once and, in parallel, allocates a port with the
 * HTTP/WebSocket server bound inside the allocation: a client waiting for `initialize` never waits
 * for the registry. A tool called before the port is ready waits for it. Resolves once both are
 * up; rejects (with the MCP side closed again) when the allocation fails. Nothing but MCP messages
 * is written to stdout.
 *
 * @example
 * ```ts
 * const running = await startBrowserMcp({ options, version, allocate, listPorts, listInstances, log });
 * process.once('SIGTERM', () => void running.shutdown().then(() => process.exit(0)));
 * ```
 */
export async function startBrowserMcp(start: StartOptions): Promise<RunningBrowserMcp> {
  const { options, log } = start;
  // The SDK is most of the start-up time: load it while the port is being allocated.
  const sdk = Promise.all([
    import('@modelcontextprotocol/server'),
    import('@modelcontextprotocol/server/stdio'),
    import('./tools.js'),
  ]);
  sdk.catch(() => {});

  const httpServer = createHttpServer();
  // Attached before binding so the first request after `listen` already finds its handlers.
  const bridge = attachBridge(httpServer, {
    instanceId: options.instanceId,
    allowOrigins: options.allowOrigins,
    listPorts: start.listPorts,
    commandTimeoutMs: options.commandTimeoutMs,
    ...(options.dialogs ? { dialogs: options.dialogs } : {}),
    connectTimeoutMs: options.connectTimeoutMs,
    pairing: start.pairing,
    allowUnpaired: options.allowUnpaired,
    label: instanceLabel({ name: options.name, cwd: start.cwd ?? process.cwd() }),
    log,
  });
  if (options.allowUnpaired) {
    log(
      'WARNING: --allow-unpaired lets an extension in without pairing: any local process that says hello can drive the browser',
    );
  }
  const allocating = (async () => {
    const address = await resolveListenAddress(options.host);
    const allocation = await start.allocate({
      bind: (port) =>
        bindServer(httpServer, port, address).catch((error: unknown) => {
          throw hostUsageError(options.host, error) ?? error;
        }),
    });
    // Exactly this form, unprefixed: clients' logs, tests and the demo look for it.
    process.stderr.write(`listening on ${options.host}:${allocation.port} as ${options.instanceId}\n`);
    return allocation;
  })();
  allocating.catch(() => {});

  const send: SendCommand = async (command, payload, sendOptions) => {
    try {
      await allocating;
    } catch (error) {
      throw new BrowserMcpError(
        'ENOEXTENSION',
        `browser-mcp could not take a port, so no extension can connect: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return bridge.send(command, payload, sendOptions);
  };

  let mcp: { close(): Promise<void> } | undefined;
  try {
    const [{ McpServer }, { serveStdio, StdioServerTransport }, { registerBrowserTools }] = await sdk;
    const transport = start.stdio && new StdioServerTransport(start.stdio.input, start.stdio.output);
    mcp = serveStdio(
      () => {
        const server = new McpServer(
          { name: 'browser-mcp', version: start.version },
          { instructions: INSTRUCTIONS },
        );
        registerBrowserTools(server, {
          send,
          listInstances: start.listInstances,
          settings: { evaluate: options.evaluate, uploadRoots: options.uploadRoots },
        });
        // The client names itself in `initialize`: "Claude Desktop" beats a process id in the popup.
        server.server.oninitialized = () => {
          const client = server.server.getClientVersion()?.name;
          bridge.setLabel(instanceLabel({ name: options.name, client, cwd: start.cwd ?? process.cwd() }));
        };
        return server;
      },
      {
        onerror: (error) => log(`MCP transport error: ${error.message}`),
        ...(transport ? { transport } : {}),
      },
    );
  } catch (error) {
    await discard(allocating);
    await closeAll();
    throw error;
  }

  let allocation: PortAllocation;
  try {
    allocation = await allocating;
  } catch (error) {
    await closeAll();
    throw error;
  }

  async function closeAll(): Promise<void> {
    const results = await Promise.allSettled([bridge.close(), mcp?.close(), closeHttpServer(httpServer)]);
    for (const result of results) {
      if (result.status === 'rejected') log(`error while shutting down: ${String(result.reason)}`);
    }
  }

  let shuttingDown: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    shuttingDown ??= (async () => {
      await closeAll();
      await allocation.release();
    })();
    return shuttingDown;
  };

  return { port: allocation.port, instanceId: options.instanceId, bridge, allocation, shutdown };
}

/** Releases an allocation that is no longer wanted, whenever it completes; never throws. */
async function discard(allocating: Promise<PortAllocation>): Promise<void> {
  try {
    await (await allocating).release();
  } catch {
    // Nothing was allocated, or the release failed: the registry's liveness check cleans up.
  }
}

function closeHttpServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
