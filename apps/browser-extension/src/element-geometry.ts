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

/**
 * Where `world`'s own viewport starts in the tab's: a frame of this process is measured in the
 * tab's coordinates already; one of another process in its own, so the content box of each frame
 * element on the way up that crosses to another process is added.
 */
async function offsetOf(page: Page, world: FrameWorld): Promise<{ x: number; y: number }> {
  const owner = world.owner;
  if (!owner) return { x: 0, y: 0 };
  const above = await offsetOf(page, owner.world);
  if (owner.world.cdp === world.cdp) return above;
  const frame = await ownerOf(page, world);
  if (!frame) throw new Error('the frame element is gone');
  const { model } = await frame.world.cdp.send<{ model: { content: Quad } }>('DOM.getBoxModel', {
    objectId: frame.objectId,
  });
  const [x1, y1, , , x3, y3] = model.content;
  return { x: above.x + Math.min(x1, x3), y: above.y + Math.min(y1, y3) };
}

/**
 * The element's border box in the tab's viewport (frames of other processes included), scrolled
 * into view first: what a screenshot of the element clips to.
 */
export async function boxInTab(
  page: Page,
  target: ElementHandle,
): Promise<{ x: number; y: number; width: number; height: number }> {
  await scrollFramesIntoView(page, target.world);
  const { cdp } = target.world;
  await cdp.send('DOM.scrollIntoViewIfNeeded', { objectId: target.objectId }).catch(() => {});
  const { model } = await cdp.send<{ model: { border: Quad } }>('DOM.getBoxModel', {
    objectId: target.objectId,
  });
  const xs = model.border.filter((_, i) => i % 2 === 0);
  const ys = model.border.filter((_, i) => i % 2 === 1);
  const offset = await offsetOf(page, target.world);
  return {
    x: offset.x + Math.min(...xs),
    y: offset.y + Math.min(...ys),
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
  };
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
