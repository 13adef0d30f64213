import { ProtocolError } from '@ports/browser-protocol';
import {
  collectSnapshot,
  REFS_KEY,
  type SnapshotRow,
  type WalkOptions,
  type WalkResult,
} from './in-page/collect-snapshot.js';
import type { FrameWorld, Page } from './page.js';

/** The walker as a page evaluates it: its source, called with its options. */
const COLLECT = collectSnapshot.toString();

/** Runs the walker in one world. */
async function walkWorld(world: FrameWorld, options: WalkOptions): Promise<WalkResult> {
  const walked = await world.cdp.send<{
    result?: { value?: WalkResult };
    exceptionDetails?: { text?: string };
  }>('Runtime.evaluate', {
    expression: `(${COLLECT})(${JSON.stringify(options)})`,
    contextId: world.contextId,
    returnByValue: true,
  });
  if (walked.exceptionDetails) {
    throw new ProtocolError(
      'EDEBUGGER',
      `The snapshot could not be taken: ${walked.exceptionDetails.text ?? 'the page threw'}. Try again.`,
    );
  }
  return walked.result?.value ?? { rows: [] };
}

/**
 * Walks `world` and, in their own worlds, the frames of other origins it could not enter (their
 * process's child session for an out-of-process iframe, else the same endpoint), splicing each
 * frame's rows under its `iframe` row. Refs of a frame walked apart carry its prefix (`s4f1e2`).
 */
export async function walkFrames(
  page: Page,
  world: FrameWorld,
  options: Omit<WalkOptions, 'prefix' | 'refsKey'>,
  worlds: Map<string, FrameWorld>,
  counter: { next: number },
): Promise<SnapshotRow[] | undefined> {
  const result = await walkWorld(world, { ...options, prefix: world.prefix, refsKey: REFS_KEY });
  if ('stale' in result) return undefined;
  worlds.set(world.prefix, world);
  const out: SnapshotRow[] = [];
  for (const row of result.rows) {
    const index = row[6];
    out.push(row.length > 6 ? (row.slice(0, 6) as SnapshotRow) : row);
    if (index === undefined) continue;
    const inner = await frameWorld(page, world, index, counter).catch(() => undefined);
    if (!inner) continue;
    const depth = options.depth === undefined ? undefined : options.depth - row[0] - 1;
    const rows = await walkFrames(
      page,
      inner,
      { generation: options.generation, ...(depth === undefined ? {} : { depth }) },
      worlds,
      counter,
    ).catch(() => undefined);
    for (const child of rows ?? []) out.push([child[0] + row[0] + 1, ...child.slice(1)] as SnapshotRow);
  }
  return out;
}

/** The world of the frame shown by element `index` of `parent`'s frames. */
async function frameWorld(
  page: Page,
  parent: FrameWorld,
  index: number,
  counter: { next: number },
): Promise<FrameWorld | undefined> {
  const objectId = await page.objectIn(parent, `globalThis[${JSON.stringify(REFS_KEY)}]?.frames[${index}]`);
  if (objectId === undefined) return undefined;
  const { node } = await parent.cdp.send<{ node: { frameId?: string } }>('DOM.describeNode', { objectId });
  const frameId = node.frameId;
  if (frameId === undefined) return undefined;
  // Another process's frame has a session of its own; another origin in this process does not.
  let cdp = page.childFor(frameId) ?? parent.cdp;
  let contextId = await page.isolatedWorld(cdp, frameId).catch(() => undefined);
  if (contextId === undefined) {
    // The frame's process may have been attached a moment ago: look once more.
    await new Promise((resolve) => setTimeout(resolve, 100));
    cdp = page.childFor(frameId) ?? parent.cdp;
    contextId = await page.isolatedWorld(cdp, frameId, true).catch(() => undefined);
  }
  if (contextId === undefined) return undefined;
  counter.next += 1;
  return { cdp, contextId, prefix: `f${counter.next}`, owner: { world: parent, index } };
}
