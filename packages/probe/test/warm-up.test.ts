import { fileURLToPath } from 'node:url';
import { spawnFixture } from '@ports/test-utils';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/warm-up.ts', import.meta.url));

describe('warmUp', () => {
  it("does Node's first-listen set-up once, in a fresh process, and leaves no socket open", async () => {
    // A fresh process: the test runner itself has long since listened on something.
    await using child = spawnFixture(fixture, []);
    const report = JSON.parse(await child.waitForStdoutLine(/^\{/, { timeoutMs: 30_000 }));
    expect(report.before.cluster).toBe(false);
    expect(report.after.cluster).toBe(true);
    expect(report.after.sockets).toBe(report.before.sockets);
    expect(report.same).toBe(true);
  });
});
