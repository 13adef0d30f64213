import type { CommandName } from './commands-list.js';
import { EXIT } from './errors.js';

// The texts of --help, in a module of their own: only a help request loads them.
const EXIT_CODES = `Exit codes:
  ${EXIT.ok}  success
  ${EXIT.failure}  failure, or a port conflict found by 'cmgr ports'
  ${EXIT.usage}  usage error: unknown command or flag, bad instance name, bad MCP_BASE_PORT / MCP_PORT_RANGE,
     or an explicit MCP_BASE_PORT / MCP_PORT_RANGE whose range overlaps an existing instance
  ${EXIT.invalidFile}  a file cmgr reads is invalid (corrupt state file, bad claude_desktop_config.json); nothing changed
  ${EXIT.notFound}  no such instance
  ${EXIT.busy}  another cmgr holds the state lock for too long
`;

/** `cmgr --help`. */
export const MAIN_HELP = `Usage: cmgr <command> [options]

Run several sandboxed Claude Desktop instances side by side, each with its own range of MCP ports.

Commands:
  create <instance> [--no-ports] [--share <dir>]...
                                       create a sandbox and allocate a port range
  list [--json]                        list instances: range, ports on/off, running, pid, sandbox
  start <instance> [--sandbox <mode>]  launch Claude Desktop for an instance, in bubblewrap by default
  stop <instance> [--timeout <ms>]     stop everything an instance runs
  remove <instance> [--yes]            stop, free the range, delete the sandbox
  mcp <instance> --ports|--reset-ports apply or remove the port settings in its config
  ports [<instance>] [--json]          show each tool port: free, held by the instance, or conflict
  share <instance> <dir> [--read-only] bind a host folder at the same path inside the sandbox
  unshare <instance> <dir>             stop sharing it
  import-config <instance> [<from-instance>] [--json]
                                       copy mcpServers from your Claude config or another instance
  mcp <instance> [add <name> [--offset N] -- <command> [args...] | remove <name>]
                                       list, add or remove MCP servers (each with its port)
  move <instance> [--to <base>]        give a stopped instance a free range; its sandbox is kept
  logs <instance> [--follow] [--lines N]
                                       print the instance's output
  desktop <instance> [--remove]        write (or delete) a launcher with the instance's own icon group
  login <instance>                     send the next claude:// sign-in link to this instance
  open-url <url>                       the claude:// handler 'cmgr login' registers
  doctor [--json]                      check bubblewrap, user namespaces, Claude Desktop, display, state, ports

Options:
  -h, --help     show help (also: cmgr <command> --help)
  -V, --version  show the version

Environment:
  CMGR_HOME            state directory (default ~/.cmgr)
  CMGR_SANDBOXES       where sandboxes live (default ~/sandboxes)
  CMGR_CLAUDE_COMMAND  the Claude Desktop command (else "claudeCommand" in $CMGR_HOME/config.json, else
                       claude-desktop on PATH, else the install places of the deb and AppImage builds)
  XDG_DATA_HOME        launchers and the claude:// handler go to its applications/ (default ~/.local/share)
  PATH                 where 'bwrap' (bubblewrap) is looked for
  MCP_BASE_PORT        first port of slot 1 for new instances (default 9000)
  MCP_PORT_RANGE       ports per new instance, 100 or more (default 100); cmgr gives servers and
                       started instances the same meaning: MCP_BASE_PORT=<first port>, MCP_PORT_RANGE=<size>
  NO_COLOR             disable colour

  With MCP_BASE_PORT and MCP_PORT_RANGE unset, a new instance takes the first free slot of 9000 + n*100.
  Set, slots count from MCP_BASE_PORT in steps of MCP_PORT_RANGE, and 'create' takes the first slot no
  instance holds with that start and size, refusing (exit 2) if its range overlaps another instance's
  range. See 'cmgr create --help'.

${EXIT_CODES}`;

/** `cmgr <command> --help`, one per command. */
export const COMMAND_HELP: Record<CommandName, string> = {
  create: `Usage: cmgr create <instance> [--no-ports] [--share <dir>]... [--json]

Creates the sandbox $CMGR_SANDBOXES/<instance>/ with .config/Claude/claude_desktop_config.json (a copy of
~/.config/Claude/claude_desktop_config.json when it exists, else {"mcpServers": {}}), allocates a port
range and writes each MCP server's port into the copy (only into each server's env; nothing else changes).

Range: with MCP_BASE_PORT and MCP_PORT_RANGE unset, the first slot of 9000 + n*100 that overlaps no
instance. With either set, slot n starts at MCP_BASE_PORT + (n-1) * MCP_PORT_RANGE, and the instance takes
the first slot no instance holds exactly (same start and size); if that range overlaps another instance's
range, create refuses with exit 2, naming the instance and a free MCP_BASE_PORT.

  <instance>    ^[a-z0-9][a-z0-9_-]{0,31}$
  --no-ports    allocate the range but leave the config alone; stays off until 'cmgr mcp <instance> --ports'
  --share <dir> share a host folder (read-write) at the same path inside the sandbox; repeatable
  --json        print the new instance as JSON

Examples: cmgr create work
          MCP_BASE_PORT=20000 MCP_PORT_RANGE=200 cmgr create big

${EXIT_CODES}`,
  list: `Usage: cmgr list [--json]

Lists every instance: name, port range, ports on/off, running (checked against the live process), pid,
the sandbox a running instance was started in (bwrap or none), how many folders it shares, created.

  --json    print {"instances": [...]}; each has "sandboxMode" ("bwrap", "none", or null when not
            running) and "shares" ([{"path", "readOnly"}])

${EXIT_CODES}`,
  start: `Usage: cmgr start <instance> [--sandbox auto|bwrap|none] [--json]

Launches Claude Desktop detached. It is found as: $CMGR_CLAUDE_COMMAND, else "claudeCommand" in
$CMGR_HOME/config.json, else claude-desktop on PATH, else the install places of claude-desktop-debian's deb
and AppImage (/usr/bin/claude-desktop, ~/Applications/claude-desktop-*.AppImage, ...). A command is split
into words like a shell would (quotes and backslashes), with no expansion; "claudeCommand" may also be an
array of words. cmgr adds --no-sandbox inside bubblewrap (Electron's own sandbox cannot nest; "noSandbox":
false in config.json keeps it), --ozone-platform=wayland or =x11 after the session, and
--class=cmgr-<instance> (the launcher's StartupWMClass). Output goes to <sandbox>/.cmgr/claude.log.
Refuses an instance that is running; warns when another process holds one of its ports.

What passes into the instance (in both sandbox modes it starts from an empty environment):
  from your environment, as they are: PATH, LANG, LANGUAGE, LC_*, TZ, TERM, COLORTERM, DISPLAY,
    XAUTHORITY (a copy in bubblewrap), WAYLAND_DISPLAY, XDG_RUNTIME_DIR, XDG_SESSION_TYPE,
    XDG_SESSION_DESKTOP, XDG_CURRENT_DESKTOP, DESKTOP_SESSION, DBUS_SESSION_BUS_ADDRESS, PULSE_SERVER,
    PIPEWIRE_REMOTE, XMODIFIERS, GTK_IM_MODULE, QT_IM_MODULE, GDK_SCALE, GDK_DPI_SCALE, QT_SCALE_FACTOR,
    XCURSOR_THEME, XCURSOR_SIZE
  cmgr's own: HOME, USER, LOGNAME, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME, XDG_STATE_HOME (inside
    the instance's home, so each instance keeps its own profile and login), CLAUDE_INSTANCE, and unless
    ports are off MCP_BASE_PORT (the first port), MCP_PORT_RANGE (the size) and one <TOOL>_PORT per server
  what you name: --pass-env, "passEnv" in config.json, "instances": {"<instance>": {"passEnv": [...]}}
Nothing else: tokens, keys and proxies of your shell stay out unless you pass them.

In bubblewrap (bwrap) the sandbox folder is the home, /home/claude, with USER=claude; / is read-only,
/home, your real home and /tmp are empty and private; the X11, Wayland, PulseAudio, PipeWire and D-Bus
sockets and /dev/dri are bound in when present; shared folders ('cmgr share') are bound at their own
path; the network is shared, so its ports are the host's. Without a sandbox HOME=<sandbox> and nothing
else is hidden.

  --sandbox <mode>  auto  bubblewrap when 'bwrap' is on PATH, else unsandboxed with a warning (default)
                    bwrap bubblewrap or fail (exit 1, nothing started)
                    none  no sandbox
                    default: "sandbox" in $CMGR_HOME/config.json, else auto
  --pass-env NAME   pass your NAME into the instance; NAME=VALUE sets it; repeatable
  --json            print {"name", "pid", "sandbox", "log", "command"}

If bubblewrap cannot create the sandbox (user namespaces turned off), start says why and how to allow
them (sysctl), or to use --sandbox none; nothing is started then.

${EXIT_CODES}`,
  stop: `Usage: cmgr stop <instance> [--timeout <ms>]

Sends SIGTERM to everything the instance runs (its process group and what descends from it, the whole
sandbox for one in bubblewrap), then SIGKILL if anything is still there after the timeout.
Does nothing to a process that is not the one cmgr started (pid reused).

  --timeout <ms>    wait this long before SIGKILL (default 10000)

${EXIT_CODES}`,
  remove: `Usage: cmgr remove <instance> [--yes]

Stops the instance, frees its port range and deletes its sandbox with everything in it.
Asks for confirmation on a terminal; elsewhere --yes is required.

  --yes    do not ask

${EXIT_CODES}`,
  mcp: `Usage: cmgr mcp <instance> [--json]
       cmgr mcp <instance> add <name> [--offset N] -- <command> [args...]
       cmgr mcp <instance> remove <name>
       cmgr mcp <instance> --ports | --reset-ports

Without an action, lists the instance's MCP servers: each one's port, its variable, and whether the port
is free, held by the instance, or held by another process (pid and command).

  add <name> -- <command> [args...]
                   writes the server into the sandbox's claude_desktop_config.json with its port: a known
                   tool at its offset (filesystem +10, sequential-thinking +20, memory +30, ...), any other
                   server at the first free offset of 10-99, given in the same variables as --ports
  --offset N       for add: the offset (10-99) for a server that is not a known tool
  remove <name>    takes the server out, with its port
  --ports          write each MCP server's port into the sandbox's claude_desktop_config.json
  --reset-ports    take out exactly what --ports wrote (as recorded in registry.json); the range stays
                   reserved and ports stay off across starts until --ports again (same ports)

${EXIT_CODES}`,
  ports: `Usage: cmgr ports [<instance>] [--json]

Shows every allocated tool port and who holds it: free, the instance's own process, or something else
(a conflict, with that process's pid and command). Exits 1 when there is a conflict; to give the
instance another range, keeping its sandbox: 'cmgr stop <instance>' then 'cmgr move <instance>'.

  --json    print {"instances": [...], "conflicts": <n>}

${EXIT_CODES}`,
  share: `Usage: cmgr share <instance> <dir> [--read-only]

Records a host folder to bind at the same path inside the instance's sandbox from its next start, so an
MCP server configured with that path still finds it. Sharing a folder again changes its --read-only.
A shared folder that no longer exists is skipped, with a warning, at start.

  --read-only    the instance can read it but not write to it

${EXIT_CODES}`,
  unshare: `Usage: cmgr unshare <instance> <dir>

Stops sharing a folder from the instance's next start. Exit 1 when it is not shared.

${EXIT_CODES}`,
  'import-config': `Usage: cmgr import-config <instance> [<from-instance>] [--json]

Copies "mcpServers" from ~/.config/Claude/claude_desktop_config.json, or from <from-instance>'s config,
into the instance's config: servers of the same name are replaced, the others kept, and every key that is
not "mcpServers" is left untouched. The source's ports are taken out; when the instance's ports are on,
its own are applied, so imported servers get ports in its range. A bad source file is exit 3, naming the
file and field, with nothing changed.

  --json    print {"name", "from", "source", "added", "replaced", "kept", "ports", "tools"}

${EXIT_CODES}`,
  move: `Usage: cmgr move <instance> [--to <base>] [--json]

Gives a stopped instance another port range and rewrites the ports in its config; its sandbox (login,
chats, settings) is kept. Without --to, the first free range of the grid, skipping any where another
process holds a port the instance uses. --to <base> takes the range starting there, refused when it
overlaps another instance.

  --to <base>   the first port of the new range
  --json        print {"name", "from", "range", "tools"}

${EXIT_CODES}`,
  logs: `Usage: cmgr logs <instance> [--follow] [--lines N]

Prints the instance's output (<sandbox>/.cmgr/claude.log): the last 100 lines unless --lines says.

  --lines N    print the last N lines
  --follow     keep printing what it writes, until interrupted

${EXIT_CODES}`,
  desktop: `Usage: cmgr desktop <instance> [--remove]

Writes cmgr-<instance>.desktop into \${XDG_DATA_HOME:-~/.local/share}/applications: Name "Claude
(<instance>)", Exec "<cmgr> start <instance>", Icon claude-desktop and StartupWMClass cmgr-<instance>.
cmgr starts Claude Desktop with --class=cmgr-<instance>, so each instance's windows group under their own
icon. 'cmgr remove' deletes it too.

  --remove    delete the launcher

${EXIT_CODES}`,
  login: `Usage: cmgr login <instance>

Marks the instance as the one waiting for a sign-in link, and registers cmgr as the handler for claude://
links: \${XDG_DATA_HOME:-~/.local/share}/applications/cmgr-open-url.desktop with
MimeType=x-scheme-handler/claude; and Exec "<cmgr> open-url %u", made the default with xdg-mime where it
exists. Then sign in from that instance: the link reaches its profile and no other.

${EXIT_CODES}`,
  'open-url': `Usage: cmgr open-url <url>

The claude:// handler. Hands the link to the instance 'cmgr login' marked, by launching that instance's
Claude Desktop in its sandbox with the URL (Electron's single-instance lock passes it to the running app;
a stopped instance is started with it). With no marked instance it goes to the most recently started one,
and cmgr says so.

${EXIT_CODES}`,
  doctor: `Usage: cmgr doctor [--json]

Checks what 'cmgr start' needs, each finding with its fix: bubblewrap is present and creates a sandbox;
user namespaces (including Ubuntu 24.04's AppArmor restriction); Claude Desktop is found, with its path;
the display sockets; the state files; each instance's ports. Exit 1 when something blocks 'cmgr start'.

  --json    print {"ok", "findings": [{"check", "status": "ok"|"warn"|"fail", "detail", "fix"}]}

${EXIT_CODES}`,
};
