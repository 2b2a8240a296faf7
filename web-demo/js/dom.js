// Tiny DOM helpers: the demo builds its views from plain elements, so there is no framework and
// nothing to download. Text always goes in as text nodes (never innerHTML), so task titles,
// questions and notes typed by users cannot inject markup.

/**
 * Create an element. `attrs` keys: `class`, `text`, `on<event>` handlers, `dataset`, boolean
 * attributes (true adds, false/null/undefined omits), anything else as an attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else if (key === 'checked' || key === 'selected') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let counter = 0;
/** A fresh id for label/for pairs in generated forms. */
export function uid(prefix = 'f') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A labelled control: `<div class="field"><label for>text</label>control</div>`. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = uid();
  const parts = [h('label', { for: control.id, text: labelText }), control];
  if (hint) {
    const hintEl = h('small', { class: 'hint', id: `${control.id}-hint`, text: hint });
    control.setAttribute('aria-describedby', hintEl.id);
    parts.push(hintEl);
  }
  return h('div', { class: 'field' }, parts);
}

/** A `<select>` from `[value, label]` pairs (or plain strings). */
export function select(options, attrs = {}) {
  const el = h('select', attrs);
  for (const opt of options) {
    const [value, label] = Array.isArray(opt) ? opt : [opt, opt];
    el.append(h('option', { value, text: label }));
  }
  if (attrs.value !== undefined) el.value = attrs.value;
  return el;
}

/**
 * The focused element, and a function that gives focus back to it. Views redraw from scratch, so
 * by the time a dialog closes, the card or button that opened it may have been replaced by an
 * equal one: then focus goes to the element now drawn in its place (same tag and `data-task`, or
 * same `aria-label`), instead of being lost to the page.
 */
export function rememberFocus() {
  const el = document.activeElement;
  const task = el?.dataset?.task;
  const label = el?.getAttribute?.('aria-label');
  const key = task !== undefined ? `[data-task="${CSS.escape(task)}"]` : label ? `[aria-label="${CSS.escape(label)}"]` : null;
  const selector = key && el.tagName.toLowerCase() + key;
  return () => (el?.isConnected ? el : selector ? document.querySelector(selector) : null)?.focus?.();
}
