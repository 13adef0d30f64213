import { type Handler, ProtocolError } from '@ports/browser-protocol';
import type { Page } from '../page.js';
import { pageFor } from './context.js';
import { centre, mouse } from './input.js';
import { observe } from './observe.js';

/** Mouse moves between the start and the end: a sortable list or a slider sees a drag, not a jump. */
const STEPS = 8;

/** How long Chrome may take to hand over an HTML5 drag the page started. */
const DRAG_DATA_TIMEOUT_MS = 2_000;

/** Set in our isolated world when the page starts an HTML5 drag (the page's own scripts never see it). */
const STARTED_KEY = '__browserMcpDragStarted';

/**
 * `browser_drag`: presses the mouse on the start element, moves it in steps to the end element
 * and lets go. When the page starts an HTML5 drag, Chrome hands it to us (drags are intercepted)
 * and it is dropped with drag events, as a user's would be; otherwise the mouse moves and
 * release are the drag (sortable lists, sliders, canvases).
 */
export const drag: Handler<'browser_drag'> = async (instanceId, payload) => {
  const page = await pageFor(instanceId);
  try {
    const start = {
      page,
      objectId: await page.elementOf(payload.startRef, payload.startElement),
      element: payload.startElement,
    };
    const end = {
      page,
      objectId: await page.elementOf(payload.endRef, payload.endElement),
      element: payload.endElement,
    };
    return await observe(page, `Dragged ${payload.startElement} to ${payload.endElement}`, async () => {
      const from = await centre(start);
      const world = await page.world();
      await page.session.send('Runtime.evaluate', {
        contextId: world,
        expression: `globalThis.${STARTED_KEY} = false; addEventListener('dragstart', () => { globalThis.${STARTED_KEY} = true; }, { capture: true, once: true });`,
      });
      await page.session.send('Input.setInterceptDrags', { enabled: true });
      const intercepted = page.session.waitFor(
        'Input.dragIntercepted',
        DRAG_DATA_TIMEOUT_MS,
        () =>
          new ProtocolError('ETIMEOUT', 'The page started a drag, but Chrome did not hand it over in time.'),
      );
      try {
        const held = { button: 'left', buttons: 1 };
        await Promise.all([
          mouse(page, 'mouseMoved', from.x, from.y),
          mouse(page, 'mousePressed', from.x, from.y, { ...held, clickCount: 1 }),
          // Past Chrome's drag threshold, so a draggable element starts its drag.
          mouse(page, 'mouseMoved', from.x + 6, from.y + 6, held),
        ]);
        const to = await centre(end);
        const started = await isDragStarted(page, world);
        if (!started) {
          intercepted.cancel();
          await moveInSteps(from, to, (x, y) => mouse(page, 'mouseMoved', x, y, held));
          await mouse(page, 'mouseReleased', to.x, to.y, { button: 'left', buttons: 0, clickCount: 1 });
          return;
        }
        const { data } = await intercepted.promise;
        const dragEvent = (type: string, x: number, y: number) =>
          page.session.send('Input.dispatchDragEvent', { type, x, y, data });
        await dragEvent('dragEnter', from.x, from.y);
        await moveInSteps(from, to, (x, y) => dragEvent('dragOver', x, y));
        await dragEvent('drop', to.x, to.y);
      } finally {
        intercepted.cancel();
        await page.session.send('Input.setInterceptDrags', { enabled: false }).catch(() => {});
      }
    });
  } finally {
    page.releaseElements();
  }
};

async function isDragStarted(page: Page, contextId: number): Promise<boolean> {
  const { result } = await page.session.send<{ result: { value?: unknown } }>('Runtime.evaluate', {
    contextId,
    expression: `globalThis.${STARTED_KEY} === true`,
    returnByValue: true,
  });
  return result.value === true;
}

async function moveInSteps(
  from: { x: number; y: number },
  to: { x: number; y: number },
  move: (x: number, y: number) => Promise<unknown>,
): Promise<void> {
  for (let step = 1; step <= STEPS; step++) {
    await move(from.x + ((to.x - from.x) * step) / STEPS, from.y + ((to.y - from.y) * step) / STEPS);
  }
}
