import { createServer, type Server } from 'node:http';

/**
 * Pages for the iframe, change-report and network tests, served on 127.0.0.1 and reached as a
 * second site through `localhost` (another site, so Chromium puts its frames in another process).
 */
const PAGES: Readonly<Record<string, string>> = {
  '/frames': `<!doctype html><title>Frames</title><h1 id="status">No frame clicked</h1>
<iframe id="same" title="Same origin frame" src="/inner-same" width="400" height="160"></iframe>
<div style="height: 900px">spacer</div>
<iframe id="cross" title="Cross origin frame" width="400" height="260"></iframe>
<script>document.getElementById('cross').src = 'http://localhost:' + location.port + '/inner-cross';</script>`,
  '/inner-same': `<!doctype html><title>Inner same</title><p id="said">Same not clicked</p>
<button onclick="document.getElementById('said').textContent = 'Same clicked'; parent.document.getElementById('status').textContent = 'Same frame clicked'">Same button</button>
<input aria-label="Same field" oninput="document.getElementById('said').textContent = 'Same typed ' + this.value">
<button onmouseenter="document.getElementById('said').textContent = 'Same hovered'">Same hover</button>
<select aria-label="Same size" onchange="document.getElementById('said').textContent = 'Same chose ' + this.value"><option value="s">Small</option><option value="l">Large</option></select>
<div draggable="true" aria-label="Same card" style="display: inline-block; width: 60px; height: 20px">Card</div>
<div aria-label="Same zone" ondragover="event.preventDefault()" ondrop="event.preventDefault(); document.getElementById('said').textContent = 'Same dropped'" style="display: inline-block; width: 80px; height: 20px">Zone</div>`,
  '/inner-cross': `<!doctype html><title>Inner cross</title><p id="said">Cross not clicked</p>
<button onclick="document.getElementById('said').textContent = 'Cross clicked'">Cross button</button>
<input aria-label="Cross field" oninput="document.getElementById('said').textContent = 'Cross typed ' + this.value">
<select aria-label="Cross size" onchange="document.getElementById('said').textContent = 'Cross chose ' + this.value"><option value="s">Small</option><option value="l">Large</option></select>
<button onmouseenter="document.getElementById('said').textContent = 'Cross hovered'">Cross hover</button>
<label><input type="checkbox" onchange="document.getElementById('said').textContent = 'Cross checked ' + this.checked"> Cross agree</label>
<div draggable="true" aria-label="Cross card" style="width: 80px; height: 30px">Card</div>
<div aria-label="Cross zone" ondragover="event.preventDefault()" ondrop="event.preventDefault(); document.getElementById('said').textContent = 'Cross dropped'" style="width: 120px; height: 40px">Zone</div>
<div role="slider" aria-label="Cross handle" aria-valuenow="0" onmousedown="window.moves = 0; window.held = true" style="width: 40px; height: 20px; user-select: none">Handle</div>
<script>
addEventListener('mousemove', () => { if (window.held) window.moves++; });
addEventListener('mouseup', (event) => {
  if (!window.held) return;
  window.held = false;
  document.getElementById('said').textContent = 'Cross slid onto ' + event.target.getAttribute('aria-label') + (window.moves >= 8 ? ' in steps' : ' in a jump');
});
</script>`,
  '/frame-events': `<!doctype html><title>Frame events</title><h1>Frame events</h1>
<iframe id="events" title="Events frame" width="500" height="300"></iframe>
<script>document.getElementById('events').src = 'http://localhost:' + location.port + '/inner-events';</script>`,
  '/inner-events': `<!doctype html><title>Inner events</title><p id="said">Frame idle</p><img src="/logo.png" alt="Frame logo">
<script>console.warn('frame loaded');</script>
<button onclick="console.error('frame says no'); fetch('/api/items?from=frame', { method: 'POST', body: '{&quot;from&quot;:&quot;frame&quot;}' }).then((r) => r.json()).then((j) => { document.getElementById('said').textContent = 'Frame got ' + j.items.length })">Frame fetch</button>
<button onclick="alert('From the frame'); document.getElementById('said').textContent = 'Frame alerted'">Frame alert</button>
<label>Frame file <input type="file" onchange="document.getElementById('said').textContent = 'Frame file ' + this.files[0].name"></label>
<a href="/download.csv" download>Frame download</a>`,
  '/worker': `<!doctype html><title>Worker</title><p id="said">Worker not ready</p>
<script>new Worker('/worker.js').onmessage = (event) => { document.getElementById('said').textContent = event.data; };</script>`,
  '/changes': `<!doctype html><title>Changes</title><h1>Changes</h1>
<button onclick="void 0">Nothing</button>
<button onclick="document.title = 'Retitled'">Retitle</button>
<button onclick="history.pushState({}, '', '/changes?pushed')">Push state</button>
<button onclick="window.open('/popup', '_blank')">Open popup</button>
<a href="/popup" target="_blank">Blank link</a>
<button onclick="console.error('bad thing', 42); throw new Error('boom')">Fail</button>
<button onclick="console.warn('only a warning'); console.info('some info'); console.debug('some debug')">Log levels</button>
<a href="/download.csv" download>Download CSV</a>
<button onclick="alert('Hello there')">Alert</button>
<a href="/second-changes">Next page</a>`,
  '/second-changes': '<!doctype html><title>Second changes</title><h1>Second</h1>',
  '/popup': `<!doctype html><title>Popup</title><h1>Popup</h1><button onclick="window.close()">Close me</button>`,
  '/network': `<!doctype html><title>Network</title><link rel="stylesheet" href="/style.css"><script src="/app.js"></script>
<h1>Network</h1><img src="/logo.png" alt="Logo"><p id="out">waiting</p>
<button onclick="fetch('/api/items?x=1', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test': 'yes' }, body: JSON.stringify({ want: 'items' }) }).then((r) => r.json()).then((j) => { document.getElementById('out').textContent = 'got ' + j.items.length })">Load items</button>
<button onclick="fetch('/api/broken').catch(() => {}); fetch('http://127.0.0.1:1/unreachable').catch(() => { document.getElementById('out').textContent = 'failed' })">Break</button>
<button onclick="fetch('/api/big').then((r) => r.text()).then((t) => { document.getElementById('out').textContent = 'big ' + t.length })">Big</button>`,
  '/subtree': `<!doctype html><title>Subtree</title><nav aria-label="Top"><a href="/a">Alpha</a><a href="/b">Beta</a></nav>
<main><section aria-label="Panel"><h2>Panel</h2><ul><li><a href="/c">Gamma</a><ul><li><a href="/d">Deep link</a></li></ul></li></ul><button>Panel button</button></section><button>Outside button</button></main>`,
};

/** What the test server answers besides pages: scripts, styles, an image, a download and an API. */
function answer(
  path: string,
  method: string,
  body: string,
): { status: number; type: string; body: string | Buffer; headers?: Record<string, string> } {
  if (PAGES[path] !== undefined) return { status: 200, type: 'text/html; charset=utf-8', body: PAGES[path] };
  switch (path) {
    case '/style.css':
      return { status: 200, type: 'text/css', body: 'h1 { color: teal }' };
    case '/worker.js':
      return {
        status: 200,
        type: 'text/javascript',
        body: "console.log('from the worker'); fetch('/api/items?from=worker').then(() => postMessage('Worker ready'));",
      };
    case '/app.js':
      return { status: 200, type: 'text/javascript', body: 'window.appLoaded = true;' };
    case '/logo.png':
      return { status: 200, type: 'image/png', body: Buffer.from('89504e470d0a1a0a', 'hex') };
    case '/download.csv':
      return {
        status: 200,
        type: 'text/csv',
        body: 'a,b\n1,2\n',
        headers: { 'content-disposition': 'attachment; filename="report.csv"' },
      };
    case '/api/items':
      return {
        status: 201,
        type: 'application/json',
        body: JSON.stringify({ items: [1, 2, 3], echo: body, method }),
        headers: { 'x-served-by': 'test' },
      };
    case '/api/broken':
      return { status: 500, type: 'application/json', body: '{"error":"broken on purpose"}' };
    case '/api/big':
      return { status: 200, type: 'text/plain', body: 'x'.repeat(200_000) };
    default:
      return { status: 404, type: 'text/plain', body: 'not found' };
  }
}

/** Serves the pages; `url(path, host)` with `localhost` for the second site. */
export async function serveFramePages(): Promise<
  { url(path: string, host?: string): string } & AsyncDisposable
> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const reply = answer(path, request.method ?? 'GET', Buffer.concat(chunks).toString('utf8'));
      response.writeHead(reply.status, { 'content-type': reply.type, ...reply.headers });
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: (path, host = '127.0.0.1') => `http://${host}:${port}${path}`,
    [Symbol.asyncDispose]: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
