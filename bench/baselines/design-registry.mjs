// The original design's allocator, rewritten from its description for comparison only:
// O_EXCL `<file>.lock` holding the pid, stale after 5 s by mtime, 50 ms polling; read the JSON
// (corrupt = empty), drop dead pids, probe the port by listening on the default host, write the
// file in place, unlock.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function lock(path) {
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch {
      try {
        if (Date.now() - statSync(path).mtimeMs > 5000) unlinkSync(path);
      } catch {}
      await sleep(50);
    }
  }
}

function isPortInUse(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, () => server.close(() => resolve(false)));
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class DesignRegistry {
  constructor(file, [start, end]) {
    this.file = file;
    this.start = start;
    this.end = end;
  }
  read() {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      return { instances: [] };
    }
  }
  async allocate(instanceId) {
    await lock(`${this.file}.lock`);
    try {
      const data = this.read();
      data.instances = data.instances.filter((entry) => alive(entry.pid));
      const used = new Set(data.instances.map((entry) => entry.port));
      for (let port = this.start; port <= this.end; port++) {
        if (used.has(port) || (await isPortInUse(port))) continue;
        const now = Date.now();
        data.instances.push({ port, instanceId, pid: process.pid, createdAt: now, lastHeartbeat: now });
        writeFileSync(this.file, JSON.stringify(data, null, 2));
        return port;
      }
      throw new Error('no port');
    } finally {
      unlinkSync(`${this.file}.lock`);
    }
  }
  async release(instanceId) {
    await lock(`${this.file}.lock`);
    try {
      const data = this.read();
      data.instances = data.instances.filter((entry) => entry.instanceId !== instanceId);
      writeFileSync(this.file, JSON.stringify(data, null, 2));
    } finally {
      unlinkSync(`${this.file}.lock`);
    }
  }
}
