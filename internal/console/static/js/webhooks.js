// A tenant's webhooks (host administrators): the endpoints told when its
// reports are ready, each with its latest deliveries and, on demand, a
// delivery's attempts; registering one (its secret shown once), sending it
// a test event, and deleting one.

import { h, replace } from './dom.js';
import { api, DELIVERIES } from './api.js';
import { run, say, table, when, num, field } from './ui.js';

// The events a webhook may receive: GraphQL's name, the type its receiver
// reads, and when it is sent.
const EVENTS = [
  ['DAY_COMPLETED', 'report.day.completed', 'a run finished the day, all 24 hours stored'],
  ['DAY_FAILED', 'report.day.failed', 'a run finished the day with hours still failed'],
  ['HOUR_REBUILT', 'report.hour.rebuilt', 'a stored hour was rebuilt with other bytes'],
];
const typeOf = Object.fromEntries(EVENTS.map(([e, type]) => [e, type]));
const types = (events) => events.map((e) => typeOf[e] || e).join(' ');

// What a delivery's status means, and how it is coloured.
const meaning = {
  DELIVERED: ['the receiver answered 2xx', 'st-stored'],
  PENDING: ['an attempt is due or in flight', 'st-stale'],
  FAILED: ['every attempt failed', 'st-failed'],
};

const described = (st) => meaning[st] || ['', ''];
const status = (d) => h('span', { class: `pill ${described(d.status)[1]}` }, d.status);
const answer = (code, attempt) => (code !== null && code !== undefined ? String(code) : attempt === 0 ? 'none yet' : 'no answer');

// webhooksSection lists, registers, tests and deletes tenant's webhooks.
export function webhooksSection(tenant) {
  const list = h('div');
  const secret = h('div', { 'aria-live': 'polite' });
  let tested = {}; // webhook id → the sentence of its last test event, until Refresh

  async function load() {
    const data = await run(() => api.webhooks(tenant.id));
    if (!data) return;
    const hooks = data.webhooks;
    replace(list,
      table('Webhooks', ['URL', 'Events', 'Created', 'Actions'], hooks.map((w) => [
        h('code', {}, w.url), types(w.events), when(w.createdAt),
        h('span', { class: 'actions' },
          h('button', { type: 'button', 'aria-label': `Send test event to ${w.url}`, onclick: (ev) => test(w, ev.currentTarget) }, 'Send test event'),
          deleteButton(w))]),
      'No webhook yet: register one to be told when the tenant\'s reports are ready.'),
      hooks.map(deliveries));
  }

  function refresh() {
    tested = {};
    load();
  }

  // deliveries is a webhook's latest deliveries, the result of its last
  // test event, and the attempts of the delivery asked for.
  function deliveries(w) {
    const attempts = h('div');
    const rows = w.deliveries.map((d) => [d.type, status(d), num(d.attempt), answer(d.responseStatus, d.attempt), when(d.at),
      h('button', { type: 'button', 'aria-label': `Attempts of the ${d.type} delivery of ${when(d.at)}`, onclick: () => showAttempts(w, d, attempts) }, 'Attempts')]);
    return h('div', { class: 'deliveries' },
      tested[w.id] ? h('p', {}, tested[w.id]) : null,
      table(`Deliveries to ${w.url}`, ['Event', 'Status', 'Attempt', 'Response', 'Time', 'Attempts'], rows,
        'No delivery yet: Send test event sends one now.'),
      attempts);
  }

  async function showAttempts(w, d, into) {
    replace(into, h('p', { class: 'muted' }, 'Loading the attempts…'));
    const data = await run(() => api.attempts(tenant.id));
    const hook = data && data.webhooks.find((x) => x.id === w.id);
    const found = hook && hook.deliveries.find((x) => x.id === d.id);
    if (!found) {
      replace(into, data ? h('p', {}, `That delivery is no longer among the latest ${DELIVERIES}: Refresh shows them.`) : null);
      return;
    }
    replace(into, table(`Attempts of the ${d.type} delivery of ${when(d.at)}`, ['Attempt', 'Time', 'Response', 'Duration', 'Why it failed'],
      found.attempts.map((a) => [num(a.attempt), when(a.at), answer(a.responseStatus), `${a.durationMs} ms`, a.error || '—']),
      'No attempt yet: the first is due.'));
  }

  // test sends a test event and waits for its first attempt (the
  // receiver has up to 10 seconds to answer).
  async function test(w, button) {
    button.disabled = true;
    say(`Sending a test event to ${w.url}…`);
    const data = await run(() => api.testWebhook(w.id));
    button.disabled = false;
    if (!data) {
      say(null);
      return;
    }
    const d = data.testWebhook;
    tested[w.id] = `Test event sent: ${d.status}, ${described(d.status)[0]} (attempt ${d.attempt}, response ${answer(d.responseStatus, d.attempt)}).` +
      (d.status === 'PENDING' ? ' It is tried again later; Refresh shows how it went.' : '');
    await load();
    say(tested[w.id]);
  }

  // deleteButton asks once more before deleting, in the row itself.
  function deleteButton(w) {
    const cell = h('span', {});
    const ask = () => replace(cell,
      h('span', {}, 'Its deliveries go too. '),
      h('button', { type: 'button', class: 'danger', 'aria-label': `Yes, delete ${w.url}`, onclick: () => remove(w) }, 'Yes, delete'), ' ',
      h('button', { type: 'button', onclick: () => replace(cell, first()) }, 'Keep'));
    const first = () => h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${w.url}`, onclick: ask }, 'Delete');
    return replace(cell, first());
  }

  async function remove(w) {
    if (await run(() => api.deleteWebhook(w.id))) {
      await load();
      say(`Deleted the webhook to ${w.url} and its deliveries.`);
    }
  }

  function registered(c) {
    replace(secret, h('div', { class: 'card secret', role: 'group', 'aria-label': 'New webhook secret' },
      h('p', {}, h('strong', {}, 'Copy the signing secret now: it is shown once and cannot be read again.')),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, 'URL'), h('dd', {}, h('code', {}, c.webhook.url))),
        h('div', {}, h('dt', {}, 'Signing secret'), h('dd', {}, h('code', { class: 'hash' }, c.secret))),
        h('div', {}, h('dt', {}, 'Events'), h('dd', {}, types(c.webhook.events)))),
      h('button', { type: 'button', onclick: () => replace(secret) }, 'I have copied the secret')));
    say('Registered the webhook; its signing secret is shown once below.');
    load();
  }

  load();
  return h('section', { class: 'card' },
    h('h2', {}, 'Webhooks'),
    h('p', { class: 'muted' }, `Endpoints told when the tenant's reports are ready, in signed POSTs (Standard Webhooks); the latest ${DELIVERIES} deliveries of each.`),
    list,
    h('p', {}, h('button', { type: 'button', onclick: refresh }, 'Refresh')),
    newWebhook(tenant, registered),
    secret);
}

// newWebhook is the New webhook button and the form it opens.
function newWebhook(tenant, registered) {
  const url = h('input', { type: 'url', required: true, maxLength: 2048, autocomplete: 'off', spellcheck: false });
  const boxes = EVENTS.map(([e]) => h('input', { type: 'checkbox', value: e, checked: true, id: `event-${e}` }));
  const form = h('form', { id: 'new-webhook', hidden: true, 'aria-label': 'New webhook' },
    field('URL', url, 'http or https: the service POSTs each event there.'),
    h('fieldset', {}, h('legend', {}, 'Events'),
      boxes.map((b, i) => h('div', { class: 'field check' }, b, h('label', { for: b.id }, EVENTS[i][1], h('span', { class: 'hint' }, `: ${EVENTS[i][2]}`))))),
    h('button', { type: 'submit' }, 'Register'));
  const open = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'new-webhook' }, 'New webhook');
  const show = (yes) => {
    form.hidden = !yes;
    open.setAttribute('aria-expanded', String(yes));
    if (yes) url.focus();
  };
  open.addEventListener('click', () => show(form.hidden));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const events = boxes.filter((b) => b.checked).map((b) => b.value);
    const data = await run(() => api.createWebhook({ tenantId: tenant.id, url: url.value.trim(), events }));
    if (!data) return;
    url.value = '';
    show(false);
    registered(data.createWebhook);
  });
  return h('div', {}, h('p', {}, open), form);
}
