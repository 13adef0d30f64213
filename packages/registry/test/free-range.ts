import { freePortRange } from '@ports/test-utils';

/** {@link freePortRange} as the `[start, end]` pair a registry's `range` takes. */
export async function freeRange(size: number): Promise<[number, number]> {
  const { start, end } = await freePortRange(size);
  return [start, end];
}
