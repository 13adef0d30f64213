import { describe, expect, it } from 'vitest';
import { dbusSocket, desktopCandidates } from './desktop.js';

describe('desktopCandidates', () => {
  it('names the X11, Wayland, PulseAudio, PipeWire and D-Bus sockets and /dev/dri', () => {
    expect(
      desktopCandidates({
        DISPLAY: ':0',
        XDG_RUNTIME_DIR: '/run/user/1000',
        WAYLAND_DISPLAY: 'wayland-1',
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus,guid=1',
      }),
    ).toEqual([
      { kind: 'ro', path: '/tmp/.X11-unix' },
      { kind: 'ro', path: '/run/user/1000/wayland-1' },
      { kind: 'ro', path: '/run/user/1000/pulse/native' },
      { kind: 'ro', path: '/run/user/1000/pipewire-0' },
      { kind: 'ro', path: '/run/user/1000/bus' },
      { kind: 'dev', path: '/dev/dri' },
    ]);
  });

  it('without a desktop session asks only for /dev/dri; an absolute WAYLAND_DISPLAY is taken as is', () => {
    expect(desktopCandidates({})).toEqual([{ kind: 'dev', path: '/dev/dri' }]);
    expect(desktopCandidates({ WAYLAND_DISPLAY: '/w/sock', XDG_RUNTIME_DIR: 'relative' })).toEqual([
      { kind: 'ro', path: '/w/sock' },
      { kind: 'dev', path: '/dev/dri' },
    ]);
  });
});

describe('dbusSocket', () => {
  it('reads the first unix:path, unescaped; an abstract socket needs no bind', () => {
    expect(dbusSocket('unix:abstract=/tmp/x;unix:path=/run/a%20b/bus')).toBe('/run/a b/bus');
    expect(dbusSocket('unix:abstract=/tmp/dbus-1')).toBeUndefined();
    expect(dbusSocket(undefined)).toBeUndefined();
  });
});
