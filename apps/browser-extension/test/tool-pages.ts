/** Pages for the tools of issue 21: each shows, in the page, what it saw. */

/** Alert, confirm and prompt, each writing its outcome on the page. */
export const DIALOGS_PAGE = `<!doctype html><title>Dialogs</title>
<button onclick="alert('Hello there'); document.getElementById('out').textContent = 'after alert'">Alert</button>
<button onclick="document.getElementById('out').textContent = confirm('Sure?') ? 'Confirmed' : 'Declined'">Confirm</button>
<button onclick="const name = prompt('Name?', 'Ann'); document.getElementById('out').textContent = name === null ? 'Prompt cancelled' : 'Hello ' + name">Prompt</button>
<p id="out">nothing yet</p>`;

/** A page that greets with an alert while it loads (its load event waits for the answer). */
export const WELCOME_PAGE = `<!doctype html><title>Welcome</title>
<script>addEventListener('load', () => { alert('Welcome'); document.getElementById('state').textContent = 'greeted'; });</script>
<p id="state">loading</p>`;

/** A page that asks before it is left. */
export const LEAVE_PAGE = `<!doctype html><title>Leave</title>
<script>addEventListener('beforeunload', (event) => { event.preventDefault(); event.returnValue = ''; });</script>
<a href="/dialogs">Go to dialogs</a>`;

/** Two file inputs; what they got (names and contents) is written on the page. */
export const UPLOAD_PAGE = `<!doctype html><title>Upload</title>
<label>One file <input type="file" id="one"></label>
<label>Many files <input type="file" id="many" multiple></label>
<p id="got">no files</p>
<script>
  for (const input of document.querySelectorAll('input[type=file]')) {
    input.addEventListener('change', async () => {
      const parts = [];
      for (const file of input.files) parts.push(file.name + '=' + (await file.text()).trim());
      document.getElementById('got').textContent = input.id + ': ' + parts.join(', ');
    });
  }
</script>`;

/** A form whose fields record every input and change event they get. */
export const FORM_PAGE = `<!doctype html><title>Form</title>
<form onsubmit="event.preventDefault()">
  <label>First name <input id="first" value="old"></label>
  <label>Email <input id="email" type="email"></label>
  <label><input type="checkbox" id="news"> Newsletter</label>
  <label><input type="radio" name="plan" id="basic" checked> Basic</label>
  <label><input type="radio" name="plan" id="pro"> Pro</label>
  <label>Country <select id="country"><option value="fr">France</option><option value="jp">Japan</option></select></label>
  <label>Volume <input type="range" id="volume" min="0" max="10" value="2"></label>
</form>
<script>
  window.events = [];
  for (const el of document.querySelectorAll('input, select')) {
    for (const type of ['input', 'change']) el.addEventListener(type, () => window.events.push(el.id + ':' + type));
  }
</script>`;

/** HTML5 drag and drop of a card onto a drop zone, and a list sorted by mouse drags. */
export const DRAG_PAGE = `<!doctype html><title>Drag</title>
<div id="card" draggable="true" style="width:120px;padding:10px;background:#ddf">Card A</div>
<div id="bin" class="drop-zone" style="width:200px;height:80px;margin-top:40px;background:#fdd">Bin</div>
<p id="dropped">nothing dropped</p>
<ul id="sortable" aria-label="Tasks">
  <li style="padding:8px">One</li><li style="padding:8px">Two</li><li style="padding:8px">Three</li>
</ul>
<p id="order">One Two Three</p>
<script>
  const card = document.getElementById('card');
  const bin = document.getElementById('bin');
  card.addEventListener('dragstart', (e) => e.dataTransfer.setData('text/plain', 'card-a'));
  bin.addEventListener('dragover', (e) => e.preventDefault());
  bin.addEventListener('drop', (e) => {
    e.preventDefault();
    document.getElementById('dropped').textContent = 'dropped ' + e.dataTransfer.getData('text/plain');
  });
  // A sortable list driven by the mouse alone, as many are: press on an item, release on another.
  let held = null;
  const list = document.getElementById('sortable');
  list.addEventListener('mousedown', (e) => { held = e.target.closest('li'); e.preventDefault(); });
  document.addEventListener('mouseup', (e) => {
    const over = document.elementFromPoint(e.clientX, e.clientY)?.closest('li');
    if (held && over && over !== held) over.after(held);
    held = null;
    document.getElementById('order').textContent = [...list.children].map((li) => li.textContent).join(' ');
  });
</script>`;

/** Values the page computed, for evaluate. */
export const EVALUATE_PAGE = `<!doctype html><title>Evaluate</title>
<label>Price <input id="price" value="19.99"></label>
<script>window.total = 6 * 7; window.evaluated = 0;</script>`;

/** A button that records every click, double click, context menu and middle click with its modifiers; a field that counts key events. */
export const CLICK_PAGE = `<!doctype html><title>Clicks</title>
<button id="target">Target</button>
<p id="log"></p>
<label>Keys field <input id="keys"></label>
<p id="keycount">0</p>
<canvas id="canvas" width="300" height="200" style="position:fixed;left:0;top:300px;background:#eee"></canvas>
<p id="canvas-click">no canvas click</p>
<script>
  const log = (text) => { document.getElementById('log').textContent += text + ';'; };
  const mods = (e) => ['alt', 'ctrl', 'meta', 'shift'].filter((m) => e[m + 'Key']).join('+');
  const target = document.getElementById('target');
  target.addEventListener('click', (e) => log('click:' + e.button + ':' + mods(e)));
  target.addEventListener('dblclick', () => log('dblclick'));
  target.addEventListener('contextmenu', (e) => { e.preventDefault(); log('contextmenu'); });
  target.addEventListener('auxclick', (e) => log('auxclick:' + e.button));
  const keys = document.getElementById('keys');
  keys.addEventListener('keydown', () => {
    const count = document.getElementById('keycount');
    count.textContent = String(Number(count.textContent) + 1);
  });
  document.getElementById('canvas').addEventListener('click', (e) => {
    document.getElementById('canvas-click').textContent = 'canvas ' + e.offsetX + ',' + e.offsetY;
  });
</script>`;

/** A page taller than the viewport, with a red box, an image and a region. */
export const SHOT_PAGE = `<!doctype html><title>Shot</title>
<style>body { margin: 0 } #box { width: 120px; height: 80px; background: rgb(255, 0, 0); margin: 1500px 0 0 30px }</style>
<section aria-label="Gallery"><img alt="Logo" width="16" height="16" src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs="></section>
<div id="box" role="img" aria-label="Red box"></div>
<div style="height: 1400px"></div>`;
