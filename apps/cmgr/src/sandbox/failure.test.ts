import { describe, expect, it } from 'vitest';
import { bwrapMessage, isNamespaceFailure, sandboxFailureLine } from './failure.js';

// bwrap 0.8's own words for the ways the kernel refuses it a user namespace.
const REFUSALS = [
  "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces. On e.g. debian this can be enabled with 'sysctl kernel.unprivileged_userns_clone=1'.",
  'bwrap: setting up uid map: Permission denied',
  'bwrap: Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)',
];

describe('sandboxFailureLine', () => {
  it('names the cause and both ways out, in one line, for a refused user namespace', () => {
    for (const output of REFUSALS) {
      expect(isNamespaceFailure(output), output).toBe(true);
      const line = sandboxFailureLine('work', `noise\n${output}\n`, 1);
      expect(line).not.toMatch(/\n/);
      expect(line).toContain(output);
      expect(line).toMatch(
        /^cannot create the sandbox for 'work': the kernel refused bubblewrap a user namespace \(exit 1\)/,
      );
      expect(line).toMatch(/sysctl -w kernel\.unprivileged_userns_clone=1/);
      expect(line).toMatch(/sysctl -w kernel\.apparmor_restrict_unprivileged_userns=0/);
      expect(line).toMatch(/'cmgr start work --sandbox none'$/);
    }
  });

  it("gives bwrap's reason and --sandbox none for any other failure", () => {
    const output = "bwrap: Can't find source path /gone: No such file or directory\n";
    expect(isNamespaceFailure(output)).toBe(false);
    expect(sandboxFailureLine('x', output, 1)).toBe(
      "cannot create the sandbox for 'x' (exit 1): bwrap: Can't find source path /gone: No such file or directory; fix what bwrap names, or start without the sandbox: 'cmgr start x --sandbox none'",
    );
    expect(bwrapMessage('')).toBe('bwrap exited before the sandbox was ready');
  });
});
