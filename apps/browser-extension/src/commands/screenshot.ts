import { type Handler, LIMITS } from '@ports/browser-protocol';
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
    return withTarget(instanceId, target, async ({ page, objectId }) => {
      await page.session.send('DOM.scrollIntoViewIfNeeded', { objectId }).catch(() => {});
      const [{ model }, scroll] = await Promise.all([
        page.session.send<{ model: { border: number[] } }>('DOM.getBoxModel', { objectId }),
        page.session.send<{ cssLayoutViewport: { pageX: number; pageY: number } }>('Page.getLayoutMetrics'),
      ]);
      const xs = model.border.filter((_, i) => i % 2 === 0);
      const ys = model.border.filter((_, i) => i % 2 === 1);
      // The box is relative to the viewport; a clip is relative to the document.
      const x = Math.min(...xs) + scroll.cssLayoutViewport.pageX;
      const y = Math.min(...ys) + scroll.cssLayoutViewport.pageY;
      return capture(page, {
        x,
        y,
        width: Math.max(...xs) - Math.min(...xs),
        height: Math.max(...ys) - Math.min(...ys),
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
