import { type Handler, ProtocolError } from '@ports/browser-protocol';
import type { Cdp } from '../cdp.js';
import type { Page } from '../page.js';
import { pageFor } from './context.js';
import { centre, mouse, type Target } from './input.js';
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
    return await observe(page, `Dragged ${payload.startElement} to ${payload.endElement}`, () =>
      dragBetween(page, start, end),
    );
  } finally {
    page.releaseElements();
  }
};

/**
 * Presses on `start`, moves to `end` and lets go. Mouse events go where a click's would (a frame
 * of another process takes them itself, so a background tab's stale hit-test data cannot send them
 * elsewhere). Chrome hands an HTML5 drag's data over at the tab, whichever frame started it, so
 * drags are intercepted there; from the move that starts one on, the drag goes on with drag
 * events, as a user's would.
 */
async function dragBetween(page: Page, start: Target, end: Target): Promise<void> {
  const from = await centre(start);
  const { cdp } = from;
  const world = start.handle.world.contextId;
  // On the element's own window (a same-origin frame's, walked in the page's world), noted in our world.
  await start.handle.world.cdp.send('Runtime.callFunctionOn', {
    objectId: start.objectId,
    functionDeclaration: `function () {
      globalThis.${STARTED_KEY} = undefined;
      const view = this.ownerDocument?.defaultView ?? window;
      const listener = (event) => { globalThis.${STARTED_KEY} = event; };
      view.addEventListener('dragstart', listener, { capture: true, once: true });
      globalThis.${STARTED_KEY}Off = () => view.removeEventListener('dragstart', listener, { capture: true });
    }`,
  });
  const handover = watchHandover(page.session);
  await page.session.send('Input.setInterceptDrags', { enabled: true });
  /** Set once the page holds the drag's data; until then the mouse button is what is held. */
  let dropData: unknown;
  let done = false;
  try {
    const held = { button: 'left', buttons: 1 };
    await Promise.all([
      mouse(cdp, 'mouseMoved', from.x, from.y),
      mouse(cdp, 'mousePressed', from.x, from.y, { ...held, clickCount: 1 }),
      // Past Chrome's drag threshold, so a draggable element starts its drag.
      mouse(cdp, 'mouseMoved', from.x + 6, from.y + 6, held),
    ]);
    const to = await centre(end);
    const handedOver = async (): Promise<unknown> => handover.data ?? awaitStartedDrag(cdp, world, handover);
    let data: unknown = await handedOver();
    let at: { x: number; y: number } = from;
    if (data === undefined) {
      // No HTML5 drag (yet): the moves are the drag (sortable lists, sliders, canvases), unless one
      // of them starts an HTML5 drag after all.
      for (const point of stepsBetween(from, to)) {
        await mouse(cdp, 'mouseMoved', point.x, point.y, held);
        at = point;
        data = handover.data;
        if (data !== undefined) break;
      }
      data ??= await handedOver();
      if (data === undefined) {
        await mouse(cdp, 'mouseReleased', to.x, to.y, { button: 'left', buttons: 0, clickCount: 1 });
        done = true;
        return;
      }
    }
    dropData = data;
    const dragEvent = (type: string, point: { x: number; y: number }) =>
      cdp.send('Input.dispatchDragEvent', { type, x: point.x, y: point.y, data: dropData });
    await dragEvent('dragEnter', at);
    for (const point of stepsBetween(at, to)) await dragEvent('dragOver', point);
    await dragEvent('drop', to);
    done = true;
  } finally {
    handover.stop();
    if (!done) {
      // A drag that failed half-way never leaves the button held or the page mid-drag.
      await (dropData === undefined
        ? mouse(cdp, 'mouseReleased', from.x, from.y, { button: 'left', buttons: 0, clickCount: 1 })
        : cdp.send('Input.dispatchDragEvent', { type: 'dragCancel', x: from.x, y: from.y, data: dropData })
      ).catch(() => {});
    }
    await page.session.send('Input.setInterceptDrags', { enabled: false }).catch(() => {});
    void start.handle.world.cdp
      .send('Runtime.evaluate', { contextId: world, expression: `globalThis.${STARTED_KEY}Off?.()` })
      .catch(() => {});
  }
}

/** The drag data Chrome hands over (`Input.dragIntercepted`), once it has. */
interface Handover {
  readonly data: unknown;
  /** Resolves with the data when it comes, or rejects after `timeoutMs`. */
  wait(timeoutMs: number): Promise<unknown>;
  stop(): void;
}

function watchHandover(tab: Cdp): Handover {
  let data: unknown;
  const waiting = new Set<(data: unknown) => void>();
  const off = tab.on('Input.dragIntercepted', (params) => {
    data = params.data;
    for (const resolve of waiting) resolve(data);
  });
  return {
    get data() {
      return data;
    },
    wait(timeoutMs) {
      if (data !== undefined) return Promise.resolve(data);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(done);
          reject(
            new ProtocolError(
              'ETIMEOUT',
              'The page started a drag, but Chrome did not hand it over in time.',
            ),
          );
        }, timeoutMs);
        const done = (value: unknown) => {
          clearTimeout(timer);
          waiting.delete(done);
          resolve(value);
        };
        waiting.add(done);
      });
    },
    stop: off,
  };
}

/**
 * The drag's data when the page started an HTML5 drag that it did not cancel (waiting for Chrome
 * to hand it over), else `undefined`.
 */
async function awaitStartedDrag(cdp: Cdp, contextId: number, handover: Handover): Promise<unknown> {
  const { result } = await cdp.send<{ result: { value?: unknown } }>('Runtime.evaluate', {
    contextId,
    expression: `globalThis.${STARTED_KEY}?.defaultPrevented === false`,
    returnByValue: true,
  });
  if (result.value !== true) return handover.data;
  return handover.wait(DRAG_DATA_TIMEOUT_MS);
}

/** The points of a move from `from` to `to` in {@link STEPS} steps, `to` last. */
function stepsBetween(
  from: { x: number; y: number },
  to: { x: number; y: number },
): { x: number; y: number }[] {
  return Array.from({ length: STEPS }, (_, i) => ({
    x: from.x + ((to.x - from.x) * (i + 1)) / STEPS,
    y: from.y + ((to.y - from.y) * (i + 1)) / STEPS,
  }));
}
