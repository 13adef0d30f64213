#!/usr/bin/env node
import { main } from '../dist/cli.js';

// cmgr manages Linux desktop instances (bubblewrap, /proc, process groups): say so elsewhere.
if (process.platform !== 'linux') {
  process.stderr.write(
    `cmgr: cmgr manages Claude Desktop instances on Linux only; it does not run on ${process.platform}.\n`,
  );
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));
