import { ProtocolError } from '@ports/browser-protocol';
import type { Cdp } from './cdp.js';
import { REFS_KEY } from './in-page/collect-snapshot.js';
import type { ElementHandle, FrameWorld, Page } from './page.js';

type Quad = [number, number, number, number, number, number, number, number];

/** The frame element that shows `world`, as a handle in its parent's world. */
async function ownerOf(page: Page, world: FrameWorld): Promise<ElementHandle | undefined> {
  const owner = world.owner;
  if (!owner) return undefined;
  const objectId = await page.objectIn(
    owner.world,
    `globalThis[${JSON.stringify(REFS_KEY)}]?.frames[${owner.index}]`,
  );
  return objectId === undefined ? undefined : { objectId, world: owner.world };
}

/** Scrolls the frame elements above `world`, outermost first, so its content is in the tab's view. */
async function scrollFramesIntoView(page: Page, world: FrameWorld): Promise<void> {
  const frame = await ownerOf(page, world);
  if (!frame) return;
  await scrollFramesIntoView(page, frame.world);
  await frame.world.cdp.send('DOM.scrollIntoViewIfNeeded', { objectId: frame.objectId });
}

/**
 * Scrolls the element into view (its frames too) and returns where mouse events for it go: the
 * endpoint of its frame's process (a frame of another process takes input itself, so a hidden tab's
 * stale hit-test data cannot send the event elsewhere) and the centre of its box in that endpoint's
 * viewport; a clear error when it has no box.
 */
export async function pointerOf(
  page: Page,
  target: ElementHandle,
  element: string,
): Promise<{ cdp: Cdp; x: number; y: number }> {
  const noBox = (cause?: unknown) =>
    new ProtocolError(
      'ENOBOX',
      `${element} has no box on the page (hidden, zero-sized or no longer in the document), so it cannot be ` +
        'clicked or hovered. Take a new browser_snapshot and pick a visible element.',
      { cause },
    );
  try {
    await scrollFramesIntoView(page, target.world);
    const { cdp } = target.world;
    await cdp.send('DOM.scrollIntoViewIfNeeded', { objectId: target.objectId });
    const { model } = await cdp.send<{ model: { content: Quad } }>('DOM.getBoxModel', {
      objectId: target.objectId,
    });
    const [x1, y1, x2, y2, x3, y3, x4, y4] = model.content;
    const width = Math.max(x1, x2, x3, x4) - Math.min(x1, x2, x3, x4);
    const height = Math.max(y1, y2, y3, y4) - Math.min(y1, y2, y3, y4);
    if (width <= 0 || height <= 0) throw noBox();
    return { cdp, x: (x1 + x2 + x3 + x4) / 4, y: (y1 + y2 + y3 + y4) / 4 };
  } catch (error) {
    if (error instanceof ProtocolError && error.code === 'ENOBOX') throw error;
    throw noBox(error);
  }
}

/** True when the element lives in another process than the tab's top document. */
export function inOtherProcess(page: Page, target: ElementHandle): boolean {
  return target.world.cdp !== page.session;
}
