// Realistic pages for the snapshot economy bench: the kinds of page a model reads most, written the
// way sites write them (wrapper divs, classes, icon SVGs, hidden menus), so neither tool's snapshot
// is flattered by unusually clean markup. Each page has one "Count click" button that only bumps a
// counter in the page: the click whose reply the bench measures changes nothing else.

const ICON = '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M2 8h12M8 2v12"/></svg>';
const COUNTER =
  '<button type="button" class="btn btn-ghost" onclick="window.clicks = (window.clicks ?? 0) + 1">' +
  `${ICON}<span>Count click</span></button>`;

function shell(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:14px system-ui;margin:0}.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.menu{display:none}.layout{display:flex}.sidebar{width:260px}.icon{width:12px;height:12px}</style></head>
<body>${body}</body></html>`;
}

function words(seed, count) {
  const pool =
    'the of request server page model token element browser snapshot frame user setting value table row data each with from into over under before after when where which while state change'.split(
      ' ',
    );
  const out = [];
  for (let i = 0; i < count; i++) out.push(pool[(seed * 7 + i * 13) % pool.length]);
  return out.join(' ');
}

function sentence(seed, count = 18) {
  const text = words(seed, count);
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

/** A documentation page: top bar, a sidebar of 300 links in 15 collapsible sections, an article, a table of contents. */
export function docsPage() {
  const sections = [];
  for (let s = 0; s < 15; s++) {
    const links = [];
    for (let l = 0; l < 20; l++) {
      const n = s * 20 + l;
      links.push(
        `<li class="nav-item"><a class="nav-link${n === 42 ? ' active' : ''}" href="/docs/s${s}/p${l}"${n === 42 ? ' aria-current="page"' : ''}><span class="nav-text">${words(n, 2)} ${n}</span></a></li>`,
      );
    }
    sections.push(`<div class="nav-section"><div class="nav-section-title"><span>Section ${s + 1}: ${words(s, 2)}</span></div>
<ul class="nav-list">${links.join('')}</ul></div>`);
  }
  const toc = Array.from({ length: 8 }, (_, i) => `<li><a href="#h${i}">${words(i + 3, 3)}</a></li>`).join(
    '',
  );
  const body = [];
  for (let i = 0; i < 8; i++) {
    body.push(
      `<h2 id="h${i}"><a class="anchor" href="#h${i}" aria-label="Link to this section">#</a>${words(i + 3, 3)}</h2>`,
    );
    body.push(`<p>${sentence(i, 40)} See <a href="/docs/ref/${i}">the reference</a> for ${words(i, 4)}.</p>`);
    body.push(
      `<div class="code-block"><div class="code-toolbar"><button type="button" class="copy" aria-label="Copy code">${ICON}</button></div><pre><code>const x${i} = await browser.snapshot({ depth: ${i} });\nconsole.log(x${i});</code></pre></div>`,
    );
    body.push(`<p>${sentence(i + 11, 30)}</p>`);
  }
  return shell(
    'Snapshots - Docs',
    `<header class="topbar"><div class="container"><a class="logo" href="/"><img src="data:," alt="Docs home"></a>
<nav class="top-nav" aria-label="Main"><ul><li><a href="/docs">Docs</a></li><li><a href="/api">API</a></li><li><a href="/blog">Blog</a></li><li><a href="/community">Community</a></li></ul></nav>
<div class="search"><input type="search" placeholder="Search docs" aria-label="Search docs"><kbd>Ctrl K</kbd></div>
<button type="button" class="theme" aria-label="Toggle dark mode">${ICON}</button>${COUNTER}</div></header>
<div class="layout"><aside class="sidebar"><nav aria-label="Docs">${sections.join('\n')}</nav></aside>
<main><article><div class="breadcrumbs"><a href="/docs">Docs</a> <span>/</span> <a href="/docs/guides">Guides</a> <span>/</span> <span>Snapshots</span></div>
<h1>Taking snapshots</h1>${body.join('\n')}
<div class="pager"><a href="/docs/prev" class="prev"><span class="label">Previous</span><span class="title">Navigation</span></a><a href="/docs/next" class="next"><span class="label">Next</span><span class="title">Network</span></a></div>
</article></main><aside class="toc"><div class="toc-title">On this page</div><ul>${toc}</ul></aside></div>
<footer><div class="container"><p>Copyright 2026 Docs authors.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></div></footer>`,
  );
}

/** A news article: site navigation, headline, byline, image, body text, related stories, share buttons, footer. */
export function newsPage() {
  const nav = [
    'World',
    'Politics',
    'Business',
    'Tech',
    'Science',
    'Health',
    'Sport',
    'Culture',
    'Travel',
    'Opinion',
    'Video',
    'Podcasts',
  ]
    .map((s) => `<li><a href="/${s.toLowerCase()}">${s}</a></li>`)
    .join('');
  const paragraphs = Array.from({ length: 14 }, (_, i) =>
    i % 4 === 2
      ? `<p>${sentence(i, 30)} <a href="/story/${i}">${words(i, 3)}</a> ${sentence(i + 1, 12)}</p>`
      : `<p>${sentence(i, 45)}</p>`,
  ).join('\n');
  const related = Array.from(
    { length: 6 },
    (_, i) =>
      `<li class="card"><a href="/related/${i}"><img src="data:," alt=""><div class="card-body"><span class="kicker">${words(i, 1)}</span><h3>${sentence(i + 20, 8)}</h3></div></a></li>`,
  ).join('');
  const footerLinks = Array.from(
    { length: 20 },
    (_, i) => `<li><a href="/f/${i}">${words(i + 5, 2)}</a></li>`,
  ).join('');
  return shell(
    'Markets rally as models read less - The Daily',
    `<div class="cookie" role="region" aria-label="Cookie notice"><p>We use cookies.</p><button type="button">Accept</button><button type="button">Manage</button></div>
<header><div class="masthead"><a href="/" class="brand"><img src="data:," alt="The Daily"></a>
<button type="button" class="menu-btn" aria-label="Open menu" aria-expanded="false">${ICON}</button>
<form role="search"><input type="search" name="q" aria-label="Search"><button type="submit" aria-label="Search">${ICON}</button></form>
<a class="subscribe" href="/subscribe">Subscribe</a> <a href="/login">Sign in</a>${COUNTER}</div>
<nav aria-label="Sections"><ul class="sections">${nav}</ul></nav>
<div class="menu"><ul>${nav}</ul></div></header>
<main><article><div class="kicker"><a href="/business">Business</a></div>
<h1>Markets rally as models read less</h1><p class="standfirst">${sentence(99, 25)}</p>
<div class="byline"><span>By <a href="/authors/jane">Jane Writer</a></span> <time datetime="2026-12-06">6 December 2026</time> <span class="read-time">6 min read</span></div>
<div class="share"><button type="button" aria-label="Share on X">${ICON}</button><button type="button" aria-label="Share on Facebook">${ICON}</button><button type="button" aria-label="Copy link">${ICON}</button><button type="button" aria-label="Save article">${ICON}</button></div>
<figure><img src="data:," alt="Traders watch screens on a busy floor"><figcaption>${sentence(7, 12)} <span class="credit">Photo: Agency</span></figcaption></figure>
<div class="article-body">${paragraphs}</div>
<aside class="newsletter"><h2>Get the morning briefing</h2><form><input type="email" aria-label="Email address" placeholder="you@example.com"><button type="submit">Sign up</button></form></aside>
<div class="tags"><a href="/t/markets">Markets</a> <a href="/t/ai">AI</a> <a href="/t/economy">Economy</a></div>
<button type="button" class="comments">Show comments (128)</button>
</article>
<section aria-label="Related"><h2>More from Business</h2><ul class="cards">${related}</ul></section></main>
<footer><nav aria-label="Footer"><ul>${footerLinks}</ul></nav><p>${sentence(3, 20)}</p></footer>`,
  );
}

/** A 50-row data table with a checkbox, sortable headers and row actions, a toolbar and a pager. */
export function tablePage() {
  const statuses = ['Active', 'Invited', 'Suspended'];
  const roles = ['Admin', 'Editor', 'Viewer'];
  const rows = Array.from({ length: 50 }, (_, i) => {
    const name = `User ${String(i + 1).padStart(2, '0')}`;
    return `<tr class="row"><td class="cell-check"><input type="checkbox" aria-label="Select ${name}"></td>
<td><div class="user"><img class="avatar" src="data:," alt=""><div><a href="/users/${i}">${name}</a><div class="muted">user${i + 1}@example.com</div></div></div></td>
<td>${roles[i % 3]}</td><td><span class="badge badge-${i % 3}">${statuses[i % 3]}</span></td><td>${((i * 7) % 28) + 1} Nov 2026</td>
<td class="actions"><button type="button" class="btn-icon" aria-label="Edit ${name}">${ICON}</button><button type="button" class="btn-icon" aria-label="Delete ${name}">${ICON}</button>
<div class="dropdown"><button type="button" aria-haspopup="menu" aria-expanded="false" aria-label="More actions for ${name}">${ICON}</button><div class="menu" role="menu"><a role="menuitem" href="#">Reset password</a></div></div></td></tr>`;
  }).join('\n');
  const header = ['Name', 'Role', 'Status', 'Last seen']
    .map((h) => `<th scope="col"><button type="button" class="sort">${h} ${ICON}</button></th>`)
    .join('');
  return shell(
    'Users - Admin',
    `<header class="app-bar"><a href="/" class="brand">Admin</a><nav aria-label="App"><a href="/users" aria-current="page">Users</a> <a href="/teams">Teams</a> <a href="/billing">Billing</a> <a href="/settings">Settings</a></nav>${COUNTER}</header>
<main><div class="page-head"><h1>Users</h1><span class="muted">50 of 1,204</span><button type="button" class="btn btn-primary">${ICON}<span>Invite user</span></button></div>
<div class="toolbar"><input type="search" aria-label="Filter users" placeholder="Filter users"><select aria-label="Role"><option>All roles</option><option>Admin</option><option>Editor</option><option>Viewer</option></select><button type="button">Export CSV</button></div>
<div class="table-wrap"><table><thead><tr><th><input type="checkbox" aria-label="Select all"></th>${header}<th><span class="sr-only">Actions</span></th></tr></thead>
<tbody>${rows}</tbody></table></div>
<nav class="pager" aria-label="Pagination"><button type="button" disabled>Previous</button><span>Page 1 of 25</span><button type="button">Next</button></nav></main>`,
  );
}

/** A settings form of 30 controls in fieldsets: text, selects, checkboxes, radios, switches, a range, a textarea. */
export function settingsPage() {
  const field = (id, label, input) =>
    `<div class="form-row"><label for="${id}" class="form-label">${label}</label><div class="form-control">${input}</div><p class="help">${sentence(id.length, 8)}</p></div>`;
  const toggle = (id, label, on) =>
    `<div class="form-row switch-row"><span id="${id}-l" class="form-label">${label}</span><button type="button" role="switch" aria-checked="${on}" aria-labelledby="${id}-l" class="switch"><span class="knob"></span></button></div>`;
  const check = (id, label, on) =>
    `<div class="form-check"><input type="checkbox" id="${id}"${on ? ' checked' : ''}><label for="${id}">${label}</label></div>`;
  const radio = (name, value, label, on) =>
    `<div class="form-check"><input type="radio" name="${name}" id="${name}-${value}" value="${value}"${on ? ' checked' : ''}><label for="${name}-${value}">${label}</label></div>`;
  const select = (id, options) =>
    `<select id="${id}">${options.map((o) => `<option>${o}</option>`).join('')}</select>`;
  return shell(
    'Settings',
    `<header class="app-bar"><a href="/" class="brand">Acme</a>${COUNTER}</header>
<main><h1>Settings</h1><form class="settings" onsubmit="event.preventDefault()">
<fieldset><legend>Profile</legend>
${field('name', 'Display name', '<input id="name" value="Jane Writer">')}
${field('email', 'Email', '<input id="email" type="email" value="jane@example.com" required>')}
${field('phone', 'Phone', '<input id="phone" type="tel">')}
${field('bio', 'Bio', '<textarea id="bio" rows="3">Writes about markets.</textarea>')}
${field('site', 'Website', '<input id="site" type="url" placeholder="https://">')}
${field('lang', 'Language', select('lang', ['English', 'Deutsch', 'Français', 'Español']))}
${field('tz', 'Time zone', select('tz', ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo']))}
</fieldset>
<fieldset><legend>Notifications</legend>
${check('n-mentions', 'Mentions', true)}${check('n-replies', 'Replies', true)}${check('n-follows', 'New followers', false)}
${check('n-digest', 'Weekly digest', true)}${check('n-product', 'Product news', false)}${check('n-security', 'Security alerts', true)}
${field('freq', 'Email frequency', select('freq', ['Immediately', 'Hourly', 'Daily', 'Never']))}
${toggle('push', 'Push notifications', true)}${toggle('sms', 'SMS notifications', false)}
</fieldset>
<fieldset><legend>Privacy</legend>
${radio('vis', 'public', 'Public profile', true)}${radio('vis', 'members', 'Members only', false)}${radio('vis', 'private', 'Private', false)}
${toggle('search', 'Show in search results', true)}${toggle('activity', 'Show activity status', false)}
${check('p-dm', 'Allow direct messages', true)}${check('p-tag', 'Allow tagging', true)}
</fieldset>
<fieldset><legend>Appearance</legend>
${radio('theme', 'light', 'Light', false)}${radio('theme', 'dark', 'Dark', false)}${radio('theme', 'system', 'System', true)}
${field('size', 'Font size', '<input id="size" type="range" min="10" max="24" value="14">')}
${field('density', 'Density', select('density', ['Comfortable', 'Compact']))}
${toggle('motion', 'Reduce motion', false)}
</fieldset>
<div class="form-actions"><button type="submit" class="btn btn-primary">Save changes</button><button type="reset" class="btn">Cancel</button><button type="button" class="btn btn-danger">Delete account</button></div>
</form></main>`,
  );
}

/** The pages of the bench, by name. */
export const REALISTIC_PAGES = {
  'docs (300-link sidebar)': docsPage,
  'news article': newsPage,
  'data table (50 rows)': tablePage,
  'settings form (30 controls)': settingsPage,
};
