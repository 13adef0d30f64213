import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bin } from './helpers.js';

const run = promisify(execFile);

describe('cmgr on another platform', () => {
  it.each(['darwin', 'win32'])(
    'says in one line that it runs on Linux only (%s) and exits 1',
    async (platform) => {
      // The real binary, with Node told it runs elsewhere before cmgr's own code starts.
      const pretend = `data:text/javascript,Object.defineProperty(process,'platform',{value:'${platform}'})`;
      const failed = await run(process.execPath, ['--import', pretend, bin, 'list'], {
        encoding: 'utf8',
      }).then(
        () => undefined,
        (error: { code?: number; stdout?: string; stderr?: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stdout).toBe('');
      expect(failed?.stderr).toBe(
        `cmgr: cmgr manages Claude Desktop instances on Linux only; it does not run on ${platform}.\n`,
      );
    },
  );
});
