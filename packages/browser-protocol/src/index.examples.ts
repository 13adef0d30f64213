/**
 * Type-checked examples of `@ports/browser-protocol`, copied into the TSDoc `@example` blocks that name their
 * region (`pnpm sync-examples`; `scripts/tsdoc-examples.test.ts` fails when they differ). Nothing calls
 * these functions: they exist to be type-checked. Not part of the build (tsup bundles `index.ts` only).
 * What an example takes from its surroundings is a parameter.
 */

import { commandFor, parseExtensionFrame, parseServerFrame, TOOL_COMMANDS } from './index.js';

/** {@link TOOL}. */
export async function TOOL_COMMANDSExample(): Promise<void> {
  //#region TOOL_COMMANDS
  const { type, fixed } = TOOL_COMMANDS.browser_snapshot; // 'snapshot.accessibility', { mode: 'scaffold' }
  //#endregion TOOL_COMMANDS
}

/** {@link commandFor}. */
export async function commandForExample(): Promise<void> {
  //#region commandFor
  commandFor('browser_snapshot', {}); // { type: 'snapshot.accessibility', payload: { mode: 'scaffold' } }
  //#endregion commandFor
}

/** {@link parseExtensionFrame}. */
export async function parseExtensionFrameExample(): Promise<void> {
  //#region parseExtensionFrame
  parseExtensionFrame('{"wireId":7,"type":"response","data":{"ok":1}}'); // { kind: 'reply', id: 7, payload: { ok: 1 } }
  //#endregion parseExtensionFrame
}

/** {@link parseServerFrame}. */
export async function parseServerFrameExample(
  event: { data: string },
  run: (type: string, payload: unknown) => void,
): Promise<void> {
  //#region parseServerFrame
  const frame = parseServerFrame(event.data);
  if (frame.kind === 'command') run(frame.type, frame.payload);
  //#endregion parseServerFrame
}
