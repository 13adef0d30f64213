// TEMPORARY: stands in for @ports/registry + @ports/heartbeat until they land (issue 5). It tries
// the ports of the range in order and discovers siblings by asking each port, with no registry file.
import { get } from 'node:http';
import { BrowserMcpError } from './errors.js';
import type { InstanceInfo } from './instances.js';
import type { PortRange } from './options.js';
import type { AllocatePort } from './server.js';

const BUSY = new Set(['EADDRINUSE', 'EACCES']);

/** An allocator that binds the first port of `range` that is free, without any registry. */
export function createTemporaryAllocator(range: PortRange): AllocatePort {
  return async ({ bind }) => {
    const busy: number[] = [];
    for (let port = range.start; port <= range.end; port++) {
      try {
        await bind(port);
        return { port, release: async () => {} };
      } catch (error) {
        if (!BUSY.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        busy.push(port);
      }
    }
    throw new BrowserMcpError(
      'ENOPORT',
      `no free port in ${range.start}-${range.end} (all ${busy.length} in use); stop an instance or widen --ports`,
    );
  };
}

/** Finds live browser-mcp instances by asking `GET /` on every port of `range`. */
export async function discoverInstances(range: PortRange, host: string): Promise<InstanceInfo[]> {
  const ports = Array.from({ length: range.end - range.start + 1 }, (_, i) => range.start + i);
  const found = await Promise.all(ports.map((port) => ask(host, port)));
  return found.filter((instance): instance is InstanceInfo => instance !== undefined);
}

function ask(host: string, port: number): Promise<InstanceInfo | undefined> {
  return new Promise((resolve) => {
    const request = get({ host, port, path: '/', timeout: 1000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        try {
          const info = JSON.parse(body) as Record<string, unknown>;
          if (info.name !== 'browser-mcp' || typeof info.instanceId !== 'string') return resolve(undefined);
          resolve({
            port,
            instanceId: info.instanceId,
            pid: Number(info.pid),
            startedAt: Number(info.startedAt),
          });
        } catch {
          resolve(undefined);
        }
      });
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}
