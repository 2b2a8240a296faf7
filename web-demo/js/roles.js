// Who the person acts as: a role (the engine's Actor types) and, for clients, agents and
// reviewers, which one. The choice is saved with the market. The engine authorises every command
// from this actor; the page only picks what to show.

import { h, fill } from './dom.js';

const ROLES = [['Client', 'Client'], ['Agent', 'Agent'], ['Reviewer', 'Reviewer'], ['Operator', 'Operator']];

export class RolePicker {
  /** `onChange(role)` receives `{ type, id? }`. */
  constructor({ roleSelect, partySelect, onChange }) {
    this.roleSelect = roleSelect;
    this.partySelect = partySelect;
    this.onChange = onChange;
    fill(roleSelect, ROLES.map(([v, l]) => h('option', { value: v, text: l })));
    roleSelect.addEventListener('change', () => this.emit(true));
    partySelect.addEventListener('change', () => this.emit(false));
    this.signature = '';
  }

  /** The parties of a role, as `[id, label]`. */
  static parties(names, type) {
    const list = { Client: names.clients, Agent: names.agents, Reviewer: names.reviewers }[type] ?? [];
    return list.map((p) => [p.id, `${p.name} (#${p.id})`]);
  }

  emit(roleChanged) {
    const type = this.roleSelect.value;
    if (roleChanged) this.fillParties(type, undefined);
    const id = this.partySelect.value === '' ? undefined : Number(this.partySelect.value);
    this.onChange(type === 'Operator' ? { type } : { type, id });
  }

  fillParties(type, selected) {
    const parties = RolePicker.parties(this.names, type);
    const options = type === 'Operator'
      ? [h('option', { value: '', text: 'the market operator' })]
      : parties.length
        ? parties.map(([id, label]) => h('option', { value: id, text: label }))
        : [h('option', { value: '', text: `no ${type.toLowerCase()} registered yet` })];
    fill(this.partySelect, options);
    this.partySelect.disabled = type === 'Operator' || !parties.length;
    if (selected !== undefined && parties.some(([id]) => id === selected)) this.partySelect.value = String(selected);
  }

  /** Show the current role; refill the party list only when the parties changed. */
  update(role, names) {
    this.names = names;
    const sig = `${role.type}:${role.id}:${RolePicker.parties(names, role.type).map(([, l]) => l).join('|')}`;
    if (sig === this.signature) return;
    this.signature = sig;
    this.roleSelect.value = role.type;
    this.fillParties(role.type, role.id);
  }
}

/** The actor for a role, or null when the role has no party chosen (nothing to act as yet). */
export function actorOf(role) {
  if (role.type === 'Operator') return { type: 'Operator' };
  return Number.isSafeInteger(role.id) ? { type: role.type, id: role.id } : null;
}
