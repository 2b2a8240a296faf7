// Building blocks the role panels share: a titled section, a small command form, a stats list.

import { h, field, fill } from '../dom.js';
import { stateLabel } from '../words.js';

export function section(title, ...children) {
  const id = `sec-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { class: 'panel-section', 'aria-labelledby': id }, h('h3', { id, text: title }), children);
}

/**
 * A form whose submit calls `onSubmit(values, form)`; `controls` are `[label, element, hint?]`.
 * Inputs need a `name`. Returns the form element.
 */
export function commandForm(controls, submitLabel, onSubmit, attrs = {}) {
  const form = h('form', { ...attrs, class: ['command-form', attrs.class].filter(Boolean).join(' ') },
    controls.map(([label, el, hint]) => field(label, el, hint)),
    h('button', { type: 'submit', text: submitLabel }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = Object.fromEntries([...form.elements].filter((el) => el.name)
      .map((el) => [el.name, el.type === 'checkbox' ? el.checked : el.value]));
    onSubmit(values, form);
  });
  return form;
}

/** A `<dl>` of label/value pairs, refilled on update. */
export function stats() {
  const dl = h('dl', { class: 'stats' });
  return {
    element: dl,
    set(pairs) {
      fill(dl, pairs.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]));
    },
  };
}

/** A list of task buttons that open the task dialog. */
export function taskList(empty) {
  const ul = h('ul', { class: 'task-links' });
  return {
    element: ul,
    set(views, ui, extra = () => '') {
      if (!views.length) {
        fill(ul, h('li', { class: 'muted', text: empty }));
        return;
      }
      fill(ul, views.map((v) => h('li', {},
        h('button', { type: 'button', class: 'link', onclick: () => ui.openTask(v.id), text: `#${v.id} ${v.spec.title}` }),
        ' ', h('span', { class: 'muted', text: `${stateLabel(v.state)}${extra(v)}` }))));
    },
  };
}

/** "a:4, b:2" → [{ name: 'a', level: 4 }, ...] (the RegisterAgent / UpdateAgentProfile skills). */
export function parseSkills(text) {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const [name, level] = s.split(':').map((x) => x.trim());
    return { name, level: level === undefined ? 3 : Math.round(Number(level)) };
  });
}
