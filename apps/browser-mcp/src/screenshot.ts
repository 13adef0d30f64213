import { BrowserMcpError } from './errors.js';

/** An image as MCP image content carries it: bare base64 and its type. */
export interface ScreenshotImage {
  readonly data: string;
  readonly mimeType: string;
}

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);
const DATA_URL = /^data:(image\/[a-z+.-]+);base64,(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads a screenshot reply in any of the shapes extensions send: `{dataUrl}`, `{data: "data:…"}`,
 * or `{data, mimeType}` with bare base64 (PNG when no type is given). Throws `EBADPAYLOAD`, saying
 * what was received, for anything else.
 */
export function readScreenshot(payload: unknown): ScreenshotImage {
  const record = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const source: unknown = typeof record.dataUrl === 'string' ? record.dataUrl : record.data;
  if (typeof source === 'string') {
    const url = DATA_URL.exec(source);
    const mimeType = url ? url[1] : typeof record.mimeType === 'string' ? record.mimeType : 'image/png';
    const data = (url ? (url[2] ?? '') : source).replace(/\s+/g, '');
    if (mimeType !== undefined && data !== undefined && IMAGE_TYPES.has(mimeType) && isBase64(data)) {
      return { data, mimeType };
    }
  }
  const keys = Object.keys(record);
  throw new BrowserMcpError(
    'EBADPAYLOAD',
    'The browser extension answered the screenshot without a usable image (expected {dataUrl: "data:image/png;base64,…"} ' +
      `or {data, mimeType}; got ${keys.length > 0 ? `fields ${keys.join(', ')}` : JSON.stringify(payload)}). ` +
      'Update the extension and try again.',
  );
}

function isBase64(data: string): boolean {
  return data.length > 0 && data.length % 4 === 0 && BASE64.test(data);
}
