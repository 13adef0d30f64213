import { loadRange, rangeProblem, saveRange } from '../config.js';

const start = document.getElementById('start') as HTMLInputElement;
const end = document.getElementById('end') as HTMLInputElement;
const message = document.getElementById('message') as HTMLElement;

void loadRange().then((range) => {
  start.value = String(range.start);
  end.value = String(range.end);
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
