export { ProbeError, type ProbeErrorCode } from './errors.js';
export { findFreePort } from './find-free-port.js';
export { isPortInUse } from './is-port-in-use.js';
export type { FindFreePortOptions, IsPortInUseOptions } from './options.js';
export {
  type PortHolder,
  type PortHolderSource,
  portHolderSource,
  portHolders,
  portHoldersOf,
} from './port-holders.js';
export type { AddressFamily } from './proc-net-tcp.js';
export { warmUp } from './warm-up.js';
