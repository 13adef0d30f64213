/**
 * Whether bwrap's error says the kernel refused it a user namespace (turned off by a sysctl, restricted
 * by AppArmor, or a limit reached), as opposed to a bad bind or another failure.
 */
export function isNamespaceFailure(output: string): boolean {
  return /namespace|uid map|gid map|setting up uid|unprivileged|CLONE_NEW|max_user/i.test(output);
}

/** bwrap's own error lines (`bwrap: …`) from what it wrote, joined into one. */
export function bwrapMessage(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('bwrap:'));
  return lines.length > 0 ? lines.join(' ') : 'bwrap exited before the sandbox was ready';
}

/**
 * The one line `cmgr start` prints when bubblewrap could not create the sandbox: bwrap's own reason,
 * and the two ways out (allow user namespaces, or start without the sandbox).
 */
export function sandboxFailureLine(name: string, output: string, exitCode: number | null): string {
  const reason = bwrapMessage(output);
  const how = exitCode === null ? '' : ` (exit ${exitCode})`;
  const without = `or start without the sandbox: 'cmgr start ${name} --sandbox none'`;
  if (isNamespaceFailure(output)) {
    return (
      `cannot create the sandbox for '${name}': the kernel refused bubblewrap a user namespace${how}: ${reason}; ` +
      "allow unprivileged user namespaces ('sudo sysctl -w kernel.unprivileged_userns_clone=1' on Debian, " +
      "'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0' on Ubuntu 24.04 and later, " +
      `or raise user.max_user_namespaces), ${without}`
    );
  }
  return `cannot create the sandbox for '${name}'${how}: ${reason}; fix what bwrap names, ${without}`;
}
