import { SANDBOX_HOME, SANDBOX_USER } from './layout.js';

/**
 * The `/etc/passwd` seen inside the sandbox: `claude` with the caller's uid and gid and the sandbox home
 * first (so a lookup of the uid finds it), then the host's other entries, so `ls -l` still names the
 * owners of system files. The caller's own entry, and any other `claude`, are left out.
 */
export function sandboxPasswd(hostPasswd: string | undefined, uid: number, gid: number): string {
  const lines = [`${SANDBOX_USER}:x:${uid}:${gid}:Claude Desktop (cmgr):${SANDBOX_HOME}:/bin/sh`];
  for (const line of (hostPasswd ?? '').split('\n')) {
    const fields = line.split(':');
    if (fields.length !== 7 || line.startsWith('#')) continue;
    if (fields[0] === SANDBOX_USER || fields[2] === String(uid)) continue;
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}
