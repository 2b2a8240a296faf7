// Accessible tabs (WAI-ARIA tabs pattern): arrow keys, Home and End move between tabs; only the
// selected tab is in the tab order. The demo renders a tab's view only while it is shown.

export function setupTabs(tablist, onChange) {
  const tabs = [...tablist.querySelectorAll('[role="tab"]')];
  const select = (tab, focus = false) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (focus) tab.focus();
    onChange(tab.dataset.view);
  };
  tablist.addEventListener('click', (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) select(tab);
  });
  tablist.addEventListener('keydown', (e) => {
    const visible = tabs.filter((t) => !t.hidden);
    const i = visible.indexOf(document.activeElement);
    if (i < 0) return;
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: visible.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    select(visible[(to + visible.length) % visible.length], true);
  });
  return {
    select: (view) => select(tabs.find((t) => t.dataset.view === view)),
    current: () => tabs.find((t) => t.getAttribute('aria-selected') === 'true')?.dataset.view,
    /** Hide a tab (the client-only "Post task"); moves the selection away if it was selected. */
    show: (view, shown) => {
      const tab = tabs.find((t) => t.dataset.view === view);
      tab.hidden = !shown;
      if (!shown && tab.getAttribute('aria-selected') === 'true') select(tabs[0]);
    },
  };
}
