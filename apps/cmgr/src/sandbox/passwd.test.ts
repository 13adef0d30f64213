import { describe, expect, it } from 'vitest';
import { sandboxPasswd } from './passwd.js';

const HOST = `root:x:0:0:root:/root:/bin/bash
me:x:1000:1000:Me,,,:/home/me:/bin/bash
claude:x:1001:1001::/home/claude:/bin/sh
# a comment
broken line
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
`;

describe('sandboxPasswd', () => {
  it("puts claude first with the caller's uid and gid, and drops the caller's own entry", () => {
    expect(sandboxPasswd(HOST, 1000, 1000)).toBe(
      [
        'claude:x:1000:1000:Claude Desktop (cmgr):/home/claude:/bin/sh',
        'root:x:0:0:root:/root:/bin/bash',
        'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
        '',
      ].join('\n'),
    );
  });

  it('works for root and without a host file', () => {
    expect(sandboxPasswd(HOST, 0, 0).split('\n')[0]).toBe(
      'claude:x:0:0:Claude Desktop (cmgr):/home/claude:/bin/sh',
    );
    expect(sandboxPasswd(HOST, 0, 0)).not.toMatch(/^root:/m);
    expect(sandboxPasswd(undefined, 5, 6)).toBe('claude:x:5:6:Claude Desktop (cmgr):/home/claude:/bin/sh\n');
  });
});
