// Admin: users and territories. Lists with a create form each; the server's 422 field messages
// appear next to the fields they name.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { usePageTitle } from '../hooks.js';
import { api, fieldErrors } from '../../lib/api.js';
import { fetchAll } from '../../lib/manager-api.js';

const BLANK_USER = { name: '', email: '', password: '', role: 'rep', time_zone: 'Europe/Berlin', work_start: '08:00', work_end: '17:30', territory_ids: [] };

function Field({ id, label, error, children }) {
  return html`<div class="field"><label for=${id}>${label}</label>${children}
    ${error && html`<span class="error" id=${`${id}-err`}>${error}</span>`}</div>`;
}

function UserForm({ territories, onCreated }) {
  const [form, setForm] = useState(BLANK_USER);
  const [errors, setErrors] = useState({});
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  async function submit(e) {
    e.preventDefault();
    setErrors({});
    try {
      const created = await api('POST', '/api/users', form);
      setForm(BLANK_USER);
      onCreated(created);
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(Object.keys(f).length ? f : { _: err.message });
    }
  }
  const input = (k, label, type = 'text') => html`<${Field} id=${`u-${k}`} label=${label} error=${errors[k]}>
    <input id=${`u-${k}`} type=${type} value=${form[k]} onInput=${set(k)} aria-invalid=${errors[k] ? 'true' : undefined}
      aria-describedby=${errors[k] ? `u-${k}-err` : undefined} /></${Field}>`;
  return html`<form class="form-grid" onSubmit=${submit} data-testid="user-form">
    ${input('name', 'Name')}${input('email', 'Email', 'email')}${input('password', 'Password', 'password')}
    <${Field} id="u-role" label="Role" error=${errors.role}><select id="u-role" value=${form.role} onChange=${set('role')}>
      <option value="rep">Rep</option><option value="manager">Manager</option><option value="admin">Admin</option></select></${Field}>
    ${input('time_zone', 'Time zone')}${input('work_start', 'Work starts', 'time')}${input('work_end', 'Work ends', 'time')}
    <${Field} id="u-territory" label="Territory" error=${errors.territory_ids}>
      <select id="u-territory" value=${form.territory_ids[0] ?? ''} onChange=${(e) => setForm({ ...form, territory_ids: e.target.value ? [Number(e.target.value)] : [] })}>
        <option value="">None</option>${territories.map((t) => html`<option value=${String(t.id)}>${t.name}</option>`)}</select></${Field}>
    <div class="form-grid__end"><button type="submit" class="btn btn--primary">Create user</button>
      ${errors._ && html`<span class="error" role="alert">${errors._}</span>`}</div>
  </form>`;
}

function TerritoryForm({ managers, onCreated }) {
  const [name, setName] = useState('');
  const [managerId, setManagerId] = useState('');
  const [errors, setErrors] = useState({});
  async function submit(e) {
    e.preventDefault();
    setErrors({});
    try {
      onCreated(await api('POST', '/api/territories', { name, manager_id: managerId ? Number(managerId) : null }));
      setName('');
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(Object.keys(f).length ? f : { _: err.message });
    }
  }
  return html`<form class="form-grid" onSubmit=${submit} data-testid="territory-form">
    <${Field} id="t-name" label="Territory name" error=${errors.name}><input id="t-name" value=${name} onInput=${(e) => setName(e.target.value)} /></${Field}>
    <${Field} id="t-manager" label="Manager" error=${errors.manager_id}><select id="t-manager" value=${managerId} onChange=${(e) => setManagerId(e.target.value)}>
      <option value="">None</option>${managers.map((m) => html`<option value=${String(m.id)}>${m.name}</option>`)}</select></${Field}>
    <div class="form-grid__end"><button type="submit" class="btn btn--primary">Create territory</button>
      ${errors._ && html`<span class="error" role="alert">${errors._}</span>`}</div>
  </form>`;
}

export function AdminPeople() {
  const [users, setUsers] = useState(null);
  const [territories, setTerritories] = useState([]);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  usePageTitle('Users and territories');
  const load = () => Promise.all([fetchAll('/api/users'), api('GET', '/api/territories')])
    .then(([u, t]) => { setUsers(u); setTerritories(t || []); })
    .catch((e) => setError(e.status === 0 ? 'Offline: this screen needs a connection.' : e.message));
  useEffect(() => { load(); }, []);
  const byId = new Map((users || []).map((u) => [u.id, u]));
  return html`
    <h1 tabindex="-1">Users and territories</h1>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${note && html`<p class="notice notice--ok" role="status">${note}</p>`}
    <section aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      ${!users && !error && html`<p class="muted">Loading…</p>`}
      ${users && html`<div class="table-scroll" tabindex="0" role="region" aria-label="Users">
        <table class="data-table" data-testid="users-table">
          <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Hours</th><th scope="col">Territories</th></tr></thead>
          <tbody>${users.map((u) => html`<tr><th scope="row">${u.name}</th><td>${u.email}</td><td>${u.role}</td>
            <td>${u.work_start}–${u.work_end}</td><td>${(u.territories || []).map((t) => t.name).join(', ') || '–'}</td></tr>`)}</tbody>
        </table></div>`}
      <h3>New user</h3>
      <${UserForm} territories=${territories} onCreated=${(u) => { setNote(`Created ${u.name}.`); load(); }} />
    </section>
    <section aria-labelledby="terr-h">
      <h2 id="terr-h">Territories</h2>
      <div class="table-scroll" tabindex="0" role="region" aria-label="Territories">
        <table class="data-table" data-testid="territories-table">
          <thead><tr><th scope="col">Territory</th><th scope="col">Manager</th><th scope="col">Reps</th></tr></thead>
          <tbody>${territories.map((t) => html`<tr><th scope="row">${t.name}</th><td>${byId.get(t.manager_id)?.name || '–'}</td>
            <td>${(t.member_ids || []).map((id) => byId.get(id)?.name || `#${id}`).join(', ') || '–'}</td></tr>`)}</tbody>
        </table></div>
      <h3>New territory</h3>
      <${TerritoryForm} managers=${(users || []).filter((u) => u.role === 'manager')} onCreated=${(t) => { setNote(`Created ${t.name}.`); load(); }} />
    </section>
  `;
}
