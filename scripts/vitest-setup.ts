// Every test process gets a pairing secret file of its own, so no test (or server it spawns with
// this environment) ever reads or writes the real user's ~/.config/browser-mcp/pairing.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.BROWSER_MCP_PAIRING_FILE) {
  const dir = mkdtempSync(join(tmpdir(), 'ports-test-pairing-'));
  process.env.BROWSER_MCP_PAIRING_FILE = join(dir, 'pairing.json');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
}
