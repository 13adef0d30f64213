import type { PortRange } from '../config.js';
import type { ServerStatus } from '../connection-manager.js';

/** What the popup asks the service worker. */
export type PopupRequest =
  | { readonly type: 'status' }
  | { readonly type: 'connect'; readonly port: number }
  | { readonly type: 'disconnect'; readonly port: number }
  | { readonly type: 'useTab'; readonly instanceId: string; readonly tabId: number };

/** The popup's view of every port of the range. */
export interface PopupStatus {
  readonly range: PortRange;
  /** Whether this browser profile is paired with the user's browser-mcp servers. */
  readonly paired: boolean;
  readonly servers: readonly (ServerStatus & {
    readonly tab?: { readonly id: number; readonly title: string; readonly url: string };
  })[];
}
