// Wakes the service worker when Chrome has stopped it (see background.ts): a port to the worker
// closes when the worker stops, and connecting again starts it at once; a message every few
// seconds is the fallback.
const NUDGE_EVERY_MS = 2_000;
const RELINK_AFTER_MS = 50;

function link(): void {
  const port = chrome.runtime.connect({ name: 'waker' });
  port.onDisconnect.addListener(() => setTimeout(link, RELINK_AFTER_MS));
}

link();
setInterval(() => {
  chrome.runtime.sendMessage({ type: 'wake' }).catch(() => {
    // No listener for a moment (the worker is starting): the next nudge finds it.
  });
}, NUDGE_EVERY_MS);
