import { type Handler, ProtocolError } from '@ports/browser-protocol';
import { type Cdp, waitForEvent } from '../cdp.js';
import { tabPointerOf } from '../element-geometry.js';
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
    const startHandle = await page.elementOf(payload.startRef, payload.startElement);
    const endHandle = await page.elementOf(payload.endRef, payload.endElement);
    const start = {
      page,
      handle: startHandle,
      objectId: startHandle.objectId,
      element: payload.startElement,
    };
    const end = { page, handle: endHandle, objectId: endHandle.objectId, element: payload.endElement };
    if (startHandle.world.cdp !== endHandle.world.cdp) {
      throw new ProtocolError(
        'EBADARGS',
        `${payload.startElement} and ${payload.endElement} are in frames of different sites, and a drag stays within one.`,
      );
    }
    if (
      startHandle.world.cdp !== page.session &&
      (await isHtml5Draggable(startHandle.world.cdp, startHandle.objectId))
    ) {
      // Chrome hands such a drag over at the top only some of the time (the frame's renderer sees the
      // press after the tab's input returned): a model must never be told a drop happened when it did not.
      throw new ProtocolError(
        'EUNSUPPORTED',
        `${payload.startElement} is an HTML5 draggable inside a frame of another site, which browser_drag cannot drag reliably yet; use browser_evaluate on the frame's elements, or drag within the page or a same-site frame.`,
      );
    }
    return await observe(page, `Dragged ${payload.startElement} to ${payload.endElement}`, async () => {
      // An HTML5 drag is handed over at the top: in a frame of another process, the tab's endpoint
      // takes the input at the tab's coordinates (the frame's own world still says if a drag began).
      const inFrame = startHandle.world.cdp !== page.session;
      const at = (t: typeof start) => (inFrame ? tabPointerOf(page, t.handle, t.element) : centre(t));
      const from = await at(start);
      const { cdp } = from;
      const frameCdp = startHandle.world.cdp;
      const world = startHandle.world.contextId;
      await frameCdp.send('Runtime.evaluate', {
        contextId: world,
        expression: `globalThis.${STARTED_KEY} = false; addEventListener('dragstart', () => { globalThis.${STARTED_KEY} = true; }, { capture: true, once: true });`,
      });
      await cdp.send('Input.setInterceptDrags', { enabled: true });
      const intercepted = waitForEvent(
        cdp,
        'Input.dragIntercepted',
        DRAG_DATA_TIMEOUT_MS,
        () =>
          new ProtocolError('ETIMEOUT', 'The page started a drag, but Chrome did not hand it over in time.'),
      );
      try {
        const held = { button: 'left', buttons: 1 };
        await Promise.all([
          mouse(cdp, 'mouseMoved', from.x, from.y),
          mouse(cdp, 'mousePressed', from.x, from.y, { ...held, clickCount: 1 }),
          // Past Chrome's drag threshold, so a draggable element starts its drag.
          mouse(cdp, 'mouseMoved', from.x + 6, from.y + 6, held),
        ]);
        const to = await at(end);
        const started = await isDragStarted(frameCdp, world);
        if (!started) {
          intercepted.cancel();
          await moveInSteps(from, to, (x, y) => mouse(cdp, 'mouseMoved', x, y, held));
          await mouse(cdp, 'mouseReleased', to.x, to.y, { button: 'left', buttons: 0, clickCount: 1 });
          return;
        }
        const { data } = await intercepted.promise;
        const dragEvent = (type: string, x: number, y: number) =>
          cdp.send('Input.dispatchDragEvent', { type, x, y, data });
        await dragEvent('dragEnter', from.x, from.y);
        await moveInSteps(from, to, (x, y) => dragEvent('dragOver', x, y));
        await dragEvent('drop', to.x, to.y);
      } finally {
        intercepted.cancel();
        await cdp.send('Input.setInterceptDrags', { enabled: false }).catch(() => {});
      }
    });
  } finally {
    page.releaseElements();
  }
};

/** Whether the element (or an ancestor) is an HTML5 draggable. */
async function isHtml5Draggable(cdp: Cdp, objectId: string): Promise<boolean> {
  const { result } = await cdp.send<{ result: { value?: unknown } }>('Runtime.callFunctionOn', {
    objectId,
    functionDeclaration: 'function () { return this.closest?.(\'[draggable="true"]\') != null; }',
    returnByValue: true,
  });
  return result.value === true;
}

async function isDragStarted(cdp: Cdp, contextId: number): Promise<boolean> {
  const { result } = await cdp.send<{ result: { value?: unknown } }>('Runtime.evaluate', {
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
