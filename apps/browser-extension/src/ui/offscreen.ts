// Nudges the service worker: a message wakes it when Chrome has stopped it (see background.ts).
const WAKE_EVERY_MS = 2_000;

setInterval(() => {
  chrome.runtime.sendMessage({ type: 'wake' }).catch(() => {
    // No listener for a moment (the worker is starting): the next nudge finds it.
  });
}, WAKE_EVERY_MS);
