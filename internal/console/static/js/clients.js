// API clients: the list (revoked ones too, with their last use), creating
// one (its secret shown once) and revoking one.

import { h, replace } from './dom.js';
import { api } from './api.js';
import { run, say, table, when, field } from './ui.js';

const tenantScopes = ['dataservice_external', 'conversations.write'];

// clientsSection lists and creates the clients of tenant, or with no
// tenant every client, creating host clients.
export function clientsSection(tenant) {
  const list = h('div');
  const secret = h('div', { 'aria-live': 'polite' });
  let after = null;

  async function load() {
    const data = await run(() => api.clients(tenant ? tenant.id : null, after));
    if (!data) return;
    const c = data.apiClients;
    const rows = c.edges.map(({ node: x }) => [
      x.name, tenant ? null : (x.tenant ? x.tenant.name : 'host'), h('code', {}, x.clientId), x.scopes.join(' '),
      when(x.createdAt), x.lastUsedAt ? when(x.lastUsedAt) : 'never',
      x.revokedAt ? `revoked ${when(x.revokedAt)}`
        : revokeButton(x),
    ].filter((v) => v !== null));
    const headers = ['Name', tenant ? null : 'Tenant', 'Client ID', 'Scopes', 'Created', 'Last used', 'State'].filter(Boolean);
    replace(list, table('API clients', headers, rows, 'No API client yet.'),
      c.pageInfo.hasNextPage ? h('p', {}, h('button', { type: 'button', onclick: () => { after = c.pageInfo.endCursor; load(); } }, 'More clients')) : null);
  }

  // revokeButton asks once more before revoking, in the row itself.
  function revokeButton(x) {
    const cell = h('span', {});
    const ask = () => replace(cell,
      h('span', {}, 'It gets no more tokens. '),
      h('button', { type: 'button', class: 'danger', 'aria-label': `Yes, revoke ${x.name}`, onclick: () => revoke(x) }, 'Yes, revoke'), ' ',
      h('button', { type: 'button', onclick: () => replace(cell, first()) }, 'Keep'));
    const first = () => h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke ${x.name}`, onclick: ask }, 'Revoke');
    return replace(cell, first());
  }

  async function revoke(x) {
    if (await run(() => api.revokeClient(x.clientId))) {
      say(`Revoked ${x.name}.`);
      after = null;
      load();
    }
  }

  const name = h('input', { type: 'text', required: true, maxLength: 200, autocomplete: 'off' });
  const scopes = tenant ? tenantScopes : ['host_admin'];
  const boxes = scopes.map((sc, i) => h('input', { type: 'checkbox', value: sc, checked: i === 0, id: `scope-${sc}` }));
  const form = h('form', { 'aria-labelledby': 'new-client' },
    h('h3', { id: 'new-client' }, tenant ? 'New API client' : 'New host API client'),
    field('Client name', name),
    h('fieldset', {}, h('legend', {}, 'Scopes'),
      boxes.map((b) => h('div', { class: 'field check' }, b, h('label', { for: b.id }, b.value)))),
    h('button', { type: 'submit' }, 'Create client'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    const input = { name: name.value, scopes: chosen };
    if (tenant) input.tenantId = tenant.id;
    const data = await run(() => api.createClient(input));
    if (!data) return;
    const c = data.createApiClient;
    replace(secret, h('div', { class: 'card secret', role: 'group', 'aria-label': 'New client credentials' },
      h('p', {}, h('strong', {}, 'Copy the secret now: it is shown once and cannot be read again.')),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, 'Client ID'), h('dd', {}, h('code', {}, c.clientId))),
        h('div', {}, h('dt', {}, 'Client secret'), h('dd', {}, h('code', { class: 'hash' }, c.clientSecret))),
        h('div', {}, h('dt', {}, 'Scopes'), h('dd', {}, c.scopes.join(' ')))),
      h('button', { type: 'button', onclick: () => replace(secret) }, 'I have copied the secret')));
    name.value = '';
    say('Created the client; its secret is shown once below.');
    after = null;
    load();
  });

  load();
  return h('section', { class: 'card' }, h('h2', {}, 'API clients'), list, form, secret);
}
