#!/usr/bin/env node
import { main } from '../dist/cli.js';

// stderr carries only our log lines: a client that stopped reading them (EPIPE) must not take the
// server down, or its shutdown and the release of its port with it.
process.stderr.on('error', () => {});

process.exitCode = await main(process.argv.slice(2));
