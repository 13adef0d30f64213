import { request } from 'node:http';
import { printableLabel } from './label.js';

/** How long one instance has to say its label: loopback answers at once unless the machine is very busy. */
const LABEL_TIMEOUT_MS = 1_500;

/**
 * Asks the server on `host:port` what it is called (its `GET /` discovery answer), checking that it
 * is the instance the registry names. `undefined` when it does not answer, answers for another
 * instance, or has no label: the label is for people, never worth failing a listing.
 */
export function fetchLabel(host: string, port: number, instanceId: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/', method: 'GET', timeout: LABEL_TIMEOUT_MS }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 4_096) body += chunk;
      });
      response.on('end', () => {
        try {
          const info = JSON.parse(body) as { instanceId?: unknown; label?: unknown };
          resolve(
            info.instanceId === instanceId && typeof info.label === 'string'
              ? printableLabel(info.label).slice(0, 100) || undefined
              : undefined,
          );
        } catch {
          resolve(undefined);
        }
      });
      response.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
