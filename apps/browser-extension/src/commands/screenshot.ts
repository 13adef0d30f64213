import { type Handler, LIMITS } from '@ports/browser-protocol';
import { boxInTab } from '../element-geometry.js';
import type { Page } from '../page.js';
import { pageFor } from './context.js';
import { withTarget } from './input.js';

interface Clip {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** `browser_screenshot`: the viewport, the whole page, or one element, as PNG or JPEG. */
export const screenshot: Handler<'browser_screenshot'> = async (instanceId, payload) => {
  const format = payload.type ?? 'png';
  const capture = async (page: Page, clip?: Clip) => {
    const { data } = await page.session.send<{ data: string }>('Page.captureScreenshot', {
      format,
      ...(format === 'jpeg' ? { quality: 80 } : {}),
      ...(clip ? { clip: { ...clip, scale: 1 }, captureBeyondViewport: true } : {}),
    });
    return { data, mimeType: format === 'jpeg' ? ('image/jpeg' as const) : ('image/png' as const) };
  };
  if (payload.ref !== undefined) {
    const target = { ref: payload.ref, element: payload.element ?? payload.ref };
    return withTarget(instanceId, target, async ({ page, handle }) => {
      // In the tab's viewport, frames of other processes included.
      const box = await boxInTab(page, handle);
      const scroll = await page.session.send<{ cssLayoutViewport: { pageX: number; pageY: number } }>(
        'Page.getLayoutMetrics',
      );
      // The box is relative to the viewport; a clip is relative to the document.
      return capture(page, {
        x: box.x + scroll.cssLayoutViewport.pageX,
        y: box.y + scroll.cssLayoutViewport.pageY,
        width: box.width,
        height: box.height,
      });
    });
  }
  const page = await pageFor(instanceId);
  if (!payload.fullPage) return capture(page);
  const { cssContentSize } = await page.session.send<{ cssContentSize: { width: number; height: number } }>(
    'Page.getLayoutMetrics',
  );
  return capture(page, {
    x: 0,
    y: 0,
    width: Math.min(Math.ceil(cssContentSize.width), LIMITS.maxScreenshotSide),
    height: Math.min(Math.ceil(cssContentSize.height), LIMITS.maxScreenshotSide),
  });
};
