import { describe, expect, it } from 'vitest';
import { rangeProblem } from './config.js';
import { restrictedReason } from './restricted.js';

describe('restrictedReason', () => {
  it('refuses the pages Chrome keeps from extensions, and allows web pages and about:blank', () => {
    expect(restrictedReason('chrome://settings')).toContain('chrome:// pages');
    expect(restrictedReason('chrome-extension://abc/popup.html')).toContain('chrome-extension:// pages');
    expect(restrictedReason('https://chromewebstore.google.com/detail/x')).toContain('Chrome Web Store');
    expect(restrictedReason('https://chrome.google.com/webstore/category')).toContain('Chrome Web Store');
    expect(restrictedReason('https://example.com/')).toBeUndefined();
    expect(restrictedReason('about:blank')).toBeUndefined();
    expect(restrictedReason(undefined)).toBeUndefined();
  });
});

describe('rangeProblem', () => {
  it('accepts the default and names what is wrong with a bad range', () => {
    expect(rangeProblem({ start: 8765, end: 8775 })).toBeUndefined();
    expect(rangeProblem({ start: 8775, end: 8765 })).toContain('must not be above');
    expect(rangeProblem({ start: 80, end: 90 })).toContain('between 1024 and 65535');
    expect(rangeProblem({ start: 2000, end: 3000 })).toContain('At most 200');
    expect(rangeProblem({ start: 1.5, end: 3000 })).toContain('whole numbers');
  });
});
