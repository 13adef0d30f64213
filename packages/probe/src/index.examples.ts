/**
 * Type-checked examples of `@ports/probe`, copied into the TSDoc `@example` blocks that name their
 * region (`pnpm sync-examples`; `scripts/tsdoc-examples.test.ts` fails when they differ). Nothing calls
 * these functions: they exist to be type-checked. Not part of the build (tsup bundles `index.ts` only).
 * What an example takes from its surroundings is a parameter.
 */

import { findFreePort, isPortInUse, ProbeError, portHolders, portHoldersOf, warmUp } from './index.js';

/** {@link ProbeError}. */
export async function ProbeErrorExample(): Promise<void> {
  //#region ProbeError
  try {
    await isPortInUse(70000);
  } catch (error) {
    if (error instanceof ProbeError && error.code === 'EINVALIDPORT') console.error(error.message);
  }
  //#endregion ProbeError
}

/** {@link findFreePort}. */
export async function findFreePortExample(): Promise<void> {
  //#region findFreePort
  const port = await findFreePort({ range: [8765, 8775], exclude: [8766] });
  if (port === undefined) throw new Error('8765-8775 are all taken');
  //#endregion findFreePort
}

/** {@link isPortInUse}. */
export async function isPortInUseExample(): Promise<void> {
  //#region isPortInUse
  if (await isPortInUse(8765)) console.error('8765 is taken');
  await isPortInUse(8765, { host: '127.0.0.1' }); // only what conflicts with 127.0.0.1
  //#endregion isPortInUse
}

/** {@link portHolders}. */
export async function portHoldersExample(): Promise<void> {
  //#region portHolders
  for (const holder of await portHolders(8765)) {
    console.error(`${holder.address}:${holder.port} held by ${holder.pid ?? '?'} ${holder.command ?? ''}`);
  }
  //#endregion portHolders
}

/** {@link portHoldersOf}. */
export async function portHoldersOfExample(): Promise<void> {
  //#region portHoldersOf
  const holders = await portHoldersOf([9000, 9001, 9002]);
  for (const [port, found] of holders) if (found.length > 0) console.error(`${port}: pid ${found[0]?.pid}`);
  //#endregion portHoldersOf
}

/** {@link warmUp}. */
export async function warmUpExample(
  lockPath: string,
  withLock: (path: string, fn: () => Promise<void>) => Promise<unknown>,
  claim: (port: number) => void,
): Promise<void> {
  //#region warmUp
  await warmUp();
  await withLock(lockPath, async () => {
    if (!(await isPortInUse(8765))) claim(8765);
  });
  //#endregion warmUp
}
