import { PairingError } from '@ports/browser-protocol';
import { loadRange, rangeProblem, saveRange } from '../config.js';
import { clearPairing, pairedAt, savePairing } from '../pairing/store.js';
import { checkCodeWithServers } from '../pairing/verify.js';

const start = document.getElementById('start') as HTMLInputElement;
const end = document.getElementById('end') as HTMLInputElement;
const message = document.getElementById('message') as HTMLElement;
const pairingState = document.getElementById('pairing-state') as HTMLElement;
const pairingMessage = document.getElementById('pairing-message') as HTMLElement;
const codeInput = document.getElementById('pairing-code') as HTMLInputElement;
const pairButton = document.getElementById('pair') as HTMLButtonElement;
const unpairButton = document.getElementById('unpair') as HTMLButtonElement;

void loadRange().then((range) => {
  start.value = String(range.start);
  end.value = String(range.end);
});

async function showPairing(): Promise<void> {
  const since = await pairedAt();
  // "Paired" appears only when paired, so a reader (or a test) looking for it is never misled.
  pairingState.textContent = since === undefined ? 'Pairing needed' : 'Paired';
  pairingState.dataset.paired = String(since !== undefined);
  pairingState.title = since === undefined ? '' : `since ${new Date(since).toLocaleString()}`;
  unpairButton.hidden = since === undefined;
}
void showPairing();

(document.getElementById('pair-form') as HTMLFormElement).onsubmit = (event) => {
  event.preventDefault();
  void pair(codeInput.value);
};

/** Shows `text` under the form; `error` marks a refusal (nothing was stored). */
function say(text: string, kind: 'ok' | 'error' | 'pending'): void {
  pairingMessage.textContent = text;
  pairingMessage.dataset.kind = kind;
}

async function pair(code: string): Promise<void> {
  pairButton.disabled = true;
  say('Checking the code…', 'pending');
  try {
    // Servers running now must know the code; with none running, a well-formed code is stored and
    // checked at the first connection.
    const check = await checkCodeWithServers(code, await loadRange());
    if (check.accepted.length === 0 && check.refused.length > 0) {
      say(
        `This code is not the one of the browser-mcp running on port ${check.refused.join(', ')} ` +
          '(or that port holds a program that is not browser-mcp): ' +
          'run `browser-mcp pair` again, as the same user, and copy its last line. Nothing was stored.',
        'error',
      );
      return;
    }
    await savePairing(code);
    codeInput.value = '';
    say(
      check.accepted.length > 0
        ? `Confirmed by the browser-mcp on port ${check.accepted.join(', ')}.`
        : 'No browser-mcp is running now; the code is checked when one starts.',
      'ok',
    );
  } catch (error) {
    say(
      error instanceof PairingError
        ? `${error.message} Nothing was stored.`
        : `Could not pair: ${(error as Error).message}`,
      'error',
    );
  } finally {
    pairButton.disabled = false;
    await showPairing();
  }
}

unpairButton.onclick = () =>
  void clearPairing().then(async () => {
    say('Pairing forgotten: no browser-mcp can drive this browser until you pair again.', 'ok');
    await showPairing();
  });

(document.getElementById('form') as HTMLFormElement).onsubmit = (event) => {
  event.preventDefault();
  const range = { start: Number(start.value), end: Number(end.value) };
  const problem = rangeProblem(range);
  if (problem) {
    message.textContent = problem;
    return;
  }
  void saveRange(range).then(
    () => {
      message.textContent = `Saved: the extension now scans ${range.start}–${range.end}.`;
    },
    (error: Error) => {
      message.textContent = error.message;
    },
  );
};
