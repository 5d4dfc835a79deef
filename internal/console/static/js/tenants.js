// Host administrators' tenants: the paged table filtered by name, New
// tenant, and one tenant's page (its setting, audit log, API clients,
// webhooks and days).

import { h, replace } from './dom.js';
import { api, path } from './api.js';
import { run, say, table, when, setting, field } from './ui.js';
import { clientsSection } from './clients.js';
import { webhooksSection } from './webhooks.js';
import { dayView } from './day.js';

const PAGE = 20;

// retentionSelect is the Retention (months) control, 1 to 3.
function retentionSelect(value) {
  return h('select', {}, [1, 2, 3].map((m) => h('option', { value: String(m), selected: m === value }, String(m))));
}

// tenantsView renders the tenants table and the New tenant form.
export function tenantsView(main, go) {
  const filter = h('input', { type: 'search', autocomplete: 'off' });
  const list = h('div');
  const pages = [null]; // the cursors of the pages seen, for Previous
  let page = 0;

  async function load() {
    const data = await run(() => api.tenants(PAGE, pages[page], filter.value.trim() || null));
    if (!data) return;
    const c = data.tenants;
    if (c.pageInfo.hasNextPage) pages[page + 1] = c.pageInfo.endCursor;
    const rows = c.edges.map(({ node: t }) => [
      h('a', { href: path('tenants/' + t.id), onclick: (ev) => { ev.preventDefault(); go('tenants/' + t.id); } }, t.name),
      setting(t.reportSettings), when(t.createdAt), h('code', {}, t.id)]);
    replace(list,
      table('Tenants', ['Name', 'Reports', 'Created', 'ID'], rows, filter.value ? 'No tenant has that name.' : 'No tenant yet: create one below.'),
      h('p', { class: 'pager' },
        h('button', { type: 'button', disabled: page === 0, onclick: () => { page--; load(); } }, 'Previous page'),
        ` Page ${page + 1} · ${c.totalCount} tenant${c.totalCount === 1 ? '' : 's'} `,
        h('button', { type: 'button', disabled: !c.pageInfo.hasNextPage, onclick: () => { page++; load(); } }, 'Next page')));
  }
  let timer;
  filter.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { pages.length = 1; page = 0; load(); }, 250);
  });

  replace(main,
    h('h1', {}, 'Tenants'),
    h('section', { class: 'card' }, field('Filter by name', filter), list),
    newTenant(go));
  load();
}

// newTenant is the New tenant form.
function newTenant(go) {
  const name = h('input', { type: 'text', required: true, maxLength: 200, autocomplete: 'off' });
  const enabled = h('input', { type: 'checkbox' });
  const months = retentionSelect(1);
  const form = h('form', { class: 'card', 'aria-labelledby': 'new-tenant' },
    h('h2', { id: 'new-tenant' }, 'New tenant'),
    field('Name', name),
    h('div', { class: 'field check' }, enabled, h('label', { for: (enabled.id = 'new-enabled') }, 'Enabled')),
    field('Retention (months)', months),
    h('button', { type: 'submit' }, 'Create'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const data = await run(() => api.createTenant({ name: name.value, enabled: enabled.checked, retentionMonths: Number(months.value) }));
    if (data) {
      say(`Created the tenant ${data.createTenant.name}.`);
      go('tenants/' + data.createTenant.id);
    }
  });
  return form;
}

// tenantView renders one tenant's page.
export async function tenantView(main, id) {
  replace(main, h('p', { class: 'muted' }, 'Loading the tenant…'));
  const data = await run(() => api.tenant(id));
  if (!data) {
    replace(main, h('p', {}, h('a', { href: path('tenants') }, 'Back to the tenants')));
    return;
  }
  const t = data.tenant;
  const days = h('div');
  replace(main,
    h('p', { class: 'crumbs' }, h('a', { href: path('tenants') }, 'Tenants'), ' / ', t.name),
    h('h1', {}, t.name),
    settingsForm(t, () => tenantView(main, id)),
    h('section', { class: 'card' }, h('h2', {}, 'Audit log'),
      table('Audit log', ['When', 'Who', 'Before', 'After'],
        t.auditLog.map((e) => [when(e.at), e.actor, e.before ? setting(e.before) : 'created', setting(e.after)]))),
    clientsSection(t),
    webhooksSection(t),
    h('h2', {}, 'Reports'),
    days);
  dayView(days, t, true);
}

// settingsForm changes the tenant's report setting.
function settingsForm(t, reload) {
  const enabled = h('input', { type: 'checkbox', checked: t.reportSettings.enabled, id: 'set-enabled' });
  const months = retentionSelect(t.reportSettings.retentionMonths);
  const form = h('form', { class: 'card', 'aria-labelledby': 'settings' },
    h('h2', { id: 'settings' }, 'Report setting'),
    h('p', { class: 'muted' }, `ID ${t.id}, created ${when(t.createdAt)}.`),
    h('div', { class: 'field check' }, enabled, h('label', { for: 'set-enabled' }, 'Enabled')),
    field('Retention (months)', months),
    h('button', { type: 'submit' }, 'Save setting'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const data = await run(() => api.updateSettings({ tenantId: t.id, enabled: enabled.checked, retentionMonths: Number(months.value) }));
    if (data) {
      say(`Saved: reports ${setting(data.updateTenantReportSettings.reportSettings)}.`);
      reload();
    }
  });
  return form;
}
