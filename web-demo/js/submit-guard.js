// One action per click: a double click on a form's button submitted the form twice (a deposit
// paid in twice, a task posted twice; issue 14, bug 8). Every form's submit passes through here
// first (a capture listener on the document, ahead of the forms' own listeners): a second
// submit of the same form while its button is still marked busy is dropped, and the button shows
// it is busy until the next double-click interval has passed.

// About the longest double-click interval desktop systems default to.
const BUSY_MS = 500;

export function guardSubmits(root = document) {
  root.addEventListener('submit', (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.busy === 'true') {
      e.preventDefault();
      e.stopImmediatePropagation();
      return;
    }
    form.dataset.busy = 'true';
    const buttons = [...form.querySelectorAll('button[type="submit"], button:not([type])')];
    for (const b of buttons) b.setAttribute('aria-busy', 'true');
    setTimeout(() => {
      delete form.dataset.busy;
      for (const b of buttons) b.removeAttribute('aria-busy');
    }, BUSY_MS);
  }, true);
}
