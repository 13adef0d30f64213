export { isRegistryError, RegistryError, type RegistryErrorCode } from './errors.js';
export { FORMAT_VERSION, type RegistryEntry } from './format.js';
export { createInstanceId, INSTANCE_ID_ENV } from './instance-id.js';
export { PortRegistryManager, type PortRegistryManagerOptions } from './manager.js';
export { DEFAULTS, type PortRegistryOptions, type RegistryLogger } from './options.js';
export { type AllocateOptions, type Allocation, PortRegistry } from './registry.js';
