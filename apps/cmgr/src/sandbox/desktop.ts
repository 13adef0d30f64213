import { isAbsolute, join } from 'node:path';
import type { Bind } from './layout.js';

/** The X11 socket folder, under `/tmp`, which the sandbox otherwise makes private. */
export const X11_SOCKETS = '/tmp/.X11-unix';

/**
 * The session bus socket named by a `DBUS_SESSION_BUS_ADDRESS` such as `unix:path=/run/user/1000/bus`
 * (the first `unix:path=` of a `;`-separated list); `undefined` for an abstract socket or none.
 */
export function dbusSocket(address: string | undefined): string | undefined {
  for (const entry of (address ?? '').split(';')) {
    if (!entry.startsWith('unix:')) continue;
    for (const pair of entry.slice('unix:'.length).split(',')) {
      const [key, value] = pair.split('=', 2);
      // D-Bus escapes bytes as %xx in addresses.
      if (key === 'path' && value) return decodeURIComponent(value);
    }
  }
  return undefined;
}

/**
 * What a desktop app may need from the host, to bind where it exists: the X11 socket folder (when
 * `DISPLAY` is set), the Wayland socket, the PulseAudio and PipeWire sockets and the D-Bus session bus
 * of `XDG_RUNTIME_DIR`, and `/dev/dri` for the GPU. Sockets are bound read-only: connecting to one needs
 * no write access to the mount, and the instance cannot delete or replace the host's socket files.
 */
export function desktopCandidates(env: NodeJS.ProcessEnv): Bind[] {
  const out: Bind[] = [];
  if (env.DISPLAY) out.push({ kind: 'ro', path: X11_SOCKETS });
  const runtime = env.XDG_RUNTIME_DIR && isAbsolute(env.XDG_RUNTIME_DIR) ? env.XDG_RUNTIME_DIR : undefined;
  const wayland = env.WAYLAND_DISPLAY || 'wayland-0';
  if (isAbsolute(wayland)) out.push({ kind: 'ro', path: wayland });
  else if (runtime) out.push({ kind: 'ro', path: join(runtime, wayland) });
  if (runtime) {
    out.push({ kind: 'ro', path: join(runtime, 'pulse', 'native') });
    out.push({ kind: 'ro', path: join(runtime, 'pipewire-0') });
  }
  const bus = dbusSocket(env.DBUS_SESSION_BUS_ADDRESS) ?? (runtime && join(runtime, 'bus'));
  if (bus) out.push({ kind: 'ro', path: bus });
  out.push({ kind: 'dev', path: '/dev/dri' });
  return out.filter((bind, index) => out.findIndex((other) => other.path === bind.path) === index);
}
