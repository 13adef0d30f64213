import type { PopupRequest, PopupStatus } from './messages.js';

const root = document.getElementById('servers') as HTMLElement;
const empty = document.getElementById('empty') as HTMLElement;
const rangeLabel = document.getElementById('range') as HTMLElement;

async function ask<T>(request: PopupRequest): Promise<T> {
  const answer = (await chrome.runtime.sendMessage(request)) as T | { error: string };
  if (answer && typeof answer === 'object' && 'error' in answer) throw new Error(answer.error);
  return answer as T;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

async function render(): Promise<void> {
  const status = await ask<PopupStatus>({ type: 'status' });
  const range = `${status.range.start}–${status.range.end}`;
  rangeLabel.textContent = range;
  const [current] = await chrome.tabs.query({ active: true, currentWindow: true });
  const shown = status.servers.filter((server) => server.state !== 'not found');
  empty.hidden = shown.length > 0;
  (document.getElementById('empty-range') as HTMLElement).textContent = range;
  const banner = document.getElementById('pairing') as HTMLElement;
  banner.textContent = status.paired
    ? 'Paired: servers that share your pairing secret can drive this browser.'
    : 'Not paired: no server can drive this browser. Run `browser-mcp pair` and paste the code in Settings.';
  banner.dataset.paired = String(status.paired);
  root.replaceChildren(
    ...shown.map((server) => {
      const row = element('li', undefined, `server ${server.state.replace(' ', '-')}`);
      const head = element('div', undefined, 'head');
      // The label people know ("Claude Desktop · ports"); the id stays in the tooltip.
      const name = element('span', server.label ?? server.instanceId ?? '—', 'instance');
      if (server.instanceId) name.title = server.instanceId;
      head.append(element('span', String(server.port), 'port'), name);
      head.append(element('span', server.state, 'state'));
      row.append(head);
      if (server.state === 'not paired') {
        row.append(element('div', server.reason ?? 'this server is not paired with this browser', 'tab'));
      } else {
        row.append(
          element('div', server.tab ? `tab: ${server.tab.title || server.tab.url}` : 'no tab yet', 'tab'),
        );
      }
      const actions = element('div', undefined, 'actions');
      const toggle = element('button', server.state === 'disconnected' ? 'Connect' : 'Disconnect');
      toggle.onclick = () =>
        void ask({
          type: server.state === 'disconnected' ? 'connect' : 'disconnect',
          port: server.port,
        }).then(render);
      actions.append(toggle);
      if (server.instanceId && current?.id !== undefined) {
        const instanceId = server.instanceId;
        const tabId = current.id;
        const use = element('button', 'Use this tab');
        use.title = `Hand the current tab to ${server.label ?? instanceId}`;
        use.onclick = () => void ask({ type: 'useTab', instanceId, tabId }).then(render);
        actions.append(use);
      }
      row.append(actions);
      return row;
    }),
  );
}

(document.getElementById('options') as HTMLElement).onclick = () => void chrome.runtime.openOptionsPage();
void render();
setInterval(() => void render(), 1_000);
