// A tenant's day: the Day field within the retention window, its calendar,
// the 24 hours as a grid and a chart, and the chosen hour with its counts,
// its Download link and a Preview of its document.

import { h, replace } from './dom.js';
import { api } from './api.js';
import { hourGrid, legend, conversationsChart, calendar } from './charts.js';
import { run, say, when, bytes, num, pad, field, yesterday, table } from './ui.js';

// Cap of the preview: the first characters of the document.
const PREVIEW_CHARS = 200000;

// dayView renders tenant's day into el. host names the tenant in every
// request (host administrators) and shows why failed hours failed.
export function dayView(el, tenant, host) {
  const months = tenant.reportSettings.retentionMonths;
  const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
  const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - months, today.getUTCDate()));
  const params = new URLSearchParams(location.search);
  const state = { day: params.get('day') || yesterday(), hour: params.has('hour') ? Number(params.get('hour')) : null };
  const tenantId = host ? tenant.id : null;

  const dayInput = h('input', { type: 'date', min: first.toISOString().slice(0, 10), max: today.toISOString().slice(0, 10), value: state.day, required: true });
  const cal = h('div');
  const grid = h('div', { class: 'grid-area' });
  const chart = h('div');
  const detail = h('section', { class: 'card detail', 'aria-label': 'Chosen hour' });

  const remember = () => {
    const q = new URLSearchParams({ day: state.day });
    if (state.hour !== null) q.set('hour', String(state.hour));
    history.replaceState(null, '', location.pathname + '?' + q);
  };

  async function load() {
    remember();
    replace(cal, calendar(first, today, state.day, (d) => { state.day = d; dayInput.value = d; state.hour = null; load(); }));
    replace(grid, h('p', { class: 'muted' }, 'Loading the day…'));
    const data = await run(() => api.day(state.day, tenantId, host));
    if (!data) {
      replace(grid);
      return;
    }
    const hours = data.dailyReport.hours;
    const stored = hours.filter((x) => x.status === 'STORED').length;
    say(`${state.day}: ${stored} of 24 hours stored.`);
    replace(grid, hourGrid(hours, state.hour, (hr) => { state.hour = hr; load(); }), legend());
    replace(chart, conversationsChart(hours));
    if (host) grid.append(failures(hours));
    if (state.hour === null) {
      replace(detail, h('p', { class: 'muted' }, 'Choose an hour to see its report.'));
    } else {
      showHour();
    }
  }

  async function showHour() {
    const hr = state.hour;
    replace(detail, h('h3', {}, `Hour ${pad(hr)}`), h('p', { class: 'muted' }, 'Loading the hour…'));
    const data = await run(() => api.hour(state.day, hr, tenantId));
    if (!data || state.hour !== hr) return;
    const x = data.hourlyReport;
    const preview = h('div');
    const link = x.downloadUrl
      ? h('a', { class: 'button', href: x.downloadUrl.url, download: `daily-report-${state.day}-${pad(hr)}.zip` }, 'Download')
      : null;
    replace(detail,
      h('h3', {}, `Hour ${pad(hr)}: ${x.status}`),
      h('dl', { class: 'facts' },
        fact('Conversations', num(x.conversationCount)), fact('Messages', num(x.messageCount)),
        fact('Size', bytes(x.sizeBytes)), fact('Generated at', when(x.generatedAt)),
        fact('SHA-256', x.sha256 ? h('code', { class: 'hash' }, x.sha256) : '—'),
        fact('Attempts', num(x.attempts))),
      x.downloadUrl
        ? h('p', { class: 'actions' }, link, ' ',
          h('button', { type: 'button', onclick: () => showPreview(preview, hr) }, 'Preview'),
          h('span', { class: 'hint' }, ` The link works until ${when(x.downloadUrl.expiresAt)}.`))
        : h('p', { class: 'muted' }, explainNoLink(x.status)),
      preview);
  }

  async function showPreview(into, hr) {
    replace(into, h('p', { class: 'muted' }, 'Loading the document…'));
    const data = await run(() => api.preview(state.day, hr, tenantId));
    if (!data || !data.hourlyReport.data) {
      replace(into);
      return;
    }
    let text = JSON.stringify(data.hourlyReport.data, null, 2);
    const cut = text.length > PREVIEW_CHARS;
    if (cut) text = text.slice(0, PREVIEW_CHARS);
    replace(into,
      h('h4', {}, 'Preview'),
      cut ? h('p', { class: 'hint' }, 'The first part of the document; download the zip for all of it.') : null,
      h('pre', { class: 'preview', tabindex: '0', 'aria-label': `Preview of the report of hour ${pad(hr)}` }, text));
  }

  dayInput.addEventListener('change', () => {
    if (dayInput.value && dayInput.checkValidity()) {
      state.day = dayInput.value;
      state.hour = null;
      load();
    } else {
      say('Choose a day inside the retention window.');
    }
  });

  replace(el,
    h('section', { class: 'card' },
      h('h2', {}, tenant.name),
      h('p', { class: 'muted' }, `Reports ${tenant.reportSettings.enabled ? 'enabled' : 'disabled'}; kept ${months} month${months === 1 ? '' : 's'}. Days and hours are UTC.`),
      field('Day', dayInput, `From ${first.toISOString().slice(0, 10)} (the retention window) to today.`),
      h('details', { class: 'cal' }, h('summary', {}, 'Calendar of the retention window'), cal)),
    h('section', { class: 'card' }, h('h3', {}, 'The day\'s hours'), grid, chart),
    detail);
  load();
}

function fact(name, value) {
  return h('div', {}, h('dt', {}, name), h('dd', {}, value));
}

function explainNoLink(status) {
  if (status === 'NOT_READY') return 'This hour has not ended yet: its report is built once it has.';
  if (status === 'EXPIRED') return 'This day is outside the retention window: its report was deleted.';
  return 'No link for this hour.';
}

// failures lists the day's failed hours and why (host administrators).
function failures(hours) {
  const failed = hours.filter((x) => x.status === 'FAILED');
  if (!failed.length) return h('span');
  return table('Failed hours of the day', ['Hour', 'Attempts', 'Why'],
    failed.map((x) => [pad(x.utcHour), num(x.attempts), x.lastError || '—']));
}
