// One action per click: a double click on a form's button submitted the form twice (a deposit
// paid in twice, a task posted twice; issue 14, bug 8). Every form's submit passes through here
// first (a capture listener on the document, ahead of the forms' own listeners): the same form
// submitted again with the same values within a double-click interval is dropped. Different
// values are a new action, however soon they come.

// About the longest double-click interval desktop systems default to.
const REPEAT_MS = 500;

const last = new WeakMap();

export function guardSubmits(root = document) {
  root.addEventListener('submit', (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    const values = JSON.stringify([...new FormData(form)].map(([k, v]) => [k, String(v)]));
    const previous = last.get(form);
    const now = performance.now();
    if (previous && previous.values === values && now - previous.at < REPEAT_MS) {
      e.preventDefault();
      e.stopImmediatePropagation();
      return;
    }
    last.set(form, { values, at: now });
  }, true);
}
