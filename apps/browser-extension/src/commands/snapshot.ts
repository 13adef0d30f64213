import { type Handler, ProtocolError } from '@ports/browser-protocol';
import { walkFrames } from '../frame-snapshot.js';
import type { SnapshotRow } from '../in-page/collect-snapshot.js';
import type { FrameWorld, Page } from '../page.js';
import { formatSnapshot, refsOf } from '../snapshot-format.js';
import { pageFor, pageInfo } from './context.js';

/** The rows of the whole page, or of the part under `ref`, with `depth` levels at most. */
async function walk(page: Page, ref: string | undefined, depth: number | undefined): Promise<SnapshotRow[]> {
  const worlds = new Map<string, FrameWorld>();
  if (ref !== undefined) {
    // Part of the page: the same generation, so every ref handed out before stays valid.
    const { world } = await page.elementOf(ref, ref).finally(() => page.releaseElements());
    const counter = { next: page.frameCount };
    const rows = await walkFrames(
      page,
      world,
      { generation: page.refsGeneration, root: ref, ...(depth === undefined ? {} : { depth }) },
      worlds,
      counter,
    );
    if (!rows) {
      throw new ProtocolError(
        'ESTALEREF',
        `Ref ${ref} is gone from the page. Take a new browser_snapshot and use a ref from it.`,
      );
    }
    page.frameCount = counter.next;
    page.setRefs(page.refsGeneration, refsOf(rows), worlds);
    return rows;
  }
  const generation = await page.nextGeneration();
  const main: FrameWorld = { cdp: page.session, contextId: await page.world(), prefix: '' };
  const counter = { next: 0 };
  const options = { generation, ...(depth === undefined ? {} : { depth }) };
  let rows = await walkFrames(page, main, options, worlds, counter).catch(async (error) => {
    // A world from before a navigation no longer answers: once more in a new one.
    if (!(error instanceof ProtocolError) || error.code !== 'EDEBUGGER') throw error;
    return walkFrames(page, { ...main, contextId: await page.world(true) }, options, worlds, counter);
  });
  rows ??= [];
  page.frameCount = counter.next;
  page.setRefs(generation, refsOf(rows), worlds);
  return rows;
}

/**
 * `snapshot.accessibility`: the page as text with refs, iframes included (each under its `iframe`
 * line), computed in one evaluation per document; with `ref`, only the part under that element,
 * and with `depth`, that many levels at most.
 */
export const snapshot: Handler<'snapshot.accessibility'> = async (instanceId, { ref, depth }) => {
  const page = await pageFor(instanceId);
  const [rows, info] = await Promise.all([walk(page, ref, depth), pageInfo(page)]);
  return { snapshot: formatSnapshot(rows), url: info.url, title: info.title };
};
