/** The local test page: every tool has something on it to act on, and shows what happened. */
export const TEST_PAGE = `<!doctype html>
<html><head><title>Test page</title></head>
<body>
<h1 id="status">Start</h1>
<button onclick="document.getElementById('status').textContent = 'Clicked'">Press me</button>
<button onmouseenter="document.getElementById('hovered').textContent = 'Hovered'">Hover me</button>
<p id="hovered">Not hovered</p>
<form onsubmit="event.preventDefault(); document.getElementById('submitted').textContent = 'Submitted ' + document.getElementById('q').value">
  <input id="q" aria-label="Query" value="old">
</form>
<p id="submitted">Not submitted</p>
<select aria-label="Colour" onchange="document.getElementById('chosen').textContent = 'Chose ' + this.value">
  <option value="r">Red</option><option value="g">Green</option><option value="b">Blue</option>
</select>
<p id="chosen">Chose nothing</p>
<input id="keys" aria-label="Keys" onkeydown="document.getElementById('pressed').textContent += ' ' + (event.ctrlKey ? 'Control+' : '') + event.key">
<p id="pressed">Keys:</p>
<button onclick="setTimeout(() => { document.getElementById('late').textContent = 'Arrived late' }, 300)">Later</button>
<p id="late"></p>
<button onclick="this.remove()">Remove me</button>
<button onclick="document.getElementById('answer').textContent = confirm('Sure?') ? 'Confirmed' : 'Declined'">Ask me</button>
<p id="answer"></p>
<a href="/second">Second page</a>
<script>
  console.log('page says hi', { n: 1 });
  setTimeout(() => { throw new Error('kaboom'); }, 0);
</script>
</body></html>`;

/** A second page, for back and forward. */
export const SECOND_PAGE = '<!doctype html><title>Second</title><h1>Second page</h1><a href="/">Home</a>';

/** A page with `count` buttons, each of which records that it was clicked. */
export function manyButtonsPage(count: number): string {
  const buttons = Array.from(
    { length: count },
    (_, i) =>
      `<button onclick="document.getElementById('last').textContent = 'clicked ${i}'">Button ${i}</button>`,
  ).join('\n');
  return `<!doctype html><title>Many</title><h1 id="last">none</h1>\n${buttons}`;
}
