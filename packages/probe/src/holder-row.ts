import type { AddressFamily } from './proc-net-tcp.js';

/** @internal A listening socket as one platform's source describes it, before it becomes a `PortHolder`. */
export interface HolderRow {
  readonly port: number;
  readonly address: string;
  readonly family: AddressFamily;
  readonly pid?: number;
  readonly command?: string;
  readonly uid?: number;
  readonly inode?: number;
}
