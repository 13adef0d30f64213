import { type Handler, ProtocolError } from '@ports/browser-protocol';
import type { Page } from '../page.js';
import { evaluate, pageFor } from './context.js';
import { clickAt } from './input.js';
import { observe } from './observe.js';

/** The layout viewport's size in CSS pixels, as the page's `innerWidth`/`innerHeight` see it. */
async function viewportSize(page: Page): Promise<{ width: number; height: number }> {
  return evaluate(page, '({ width: innerWidth, height: innerHeight })');
}

/** `browser_mouse_click_xy`: a left click at viewport CSS pixels (a canvas, a map). */
export const mouseClickXy: Handler<'browser_mouse_click_xy'> = async (instanceId, { x, y }) => {
  const page = await pageFor(instanceId);
  const { width, height } = await viewportSize(page);
  if (x >= width || y >= height) {
    throw new ProtocolError(
      'EBADARGS',
      `(${x}, ${y}) is outside the viewport, which is ${width}×${height} CSS pixels: nothing was clicked.`,
    );
  }
  return observe(page, `Clicked at (${x}, ${y})`, () => clickAt(page, x, y));
};

/**
 * `browser_resize`: sets the tab's viewport by device emulation. The window, the user's own,
 * is never moved or resized.
 */
export const resize: Handler<'browser_resize'> = async (instanceId, { width, height }) => {
  const page = await pageFor(instanceId);
  await page.session.send('Emulation.setDeviceMetricsOverride', {
    width,
    height,
    deviceScaleFactor: 0,
    mobile: false,
  });
  const now = await viewportSize(page);
  return { message: `The viewport is now ${now.width}×${now.height} CSS pixels.` };
};
