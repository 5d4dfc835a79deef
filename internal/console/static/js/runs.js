// What the generation did: the recent runs with their passes, and every
// tenant's hours still failing, each with Regenerate.

import { h, replace } from './dom.js';
import { api, path } from './api.js';
import { run, say, table, when, num, pad } from './ui.js';

const describe = {
  SUCCEEDED: 'every hour stored',
  PARTIAL: 'some hours still failed after the retries',
  FAILED: 'nothing could be stored, or the run could not finish',
  RUNNING: 'running',
};

// runsView renders the runs and the failed hours.
export function runsView(main) {
  const runs = h('div');
  const failed = h('div');
  let after = null;

  async function loadRuns() {
    const data = await run(() => api.runs(after));
    if (!data) return;
    const c = data.generationRuns;
    const rows = c.edges.map(({ node: r }) => [
      r.utcDay, r.trigger.toLowerCase(),
      h('span', { class: `run st-run-${r.status.toLowerCase()}` }, `${r.status}: ${describe[r.status] || ''}`),
      when(r.startedAt), when(r.finishedAt), num(r.tenants), `${r.stored} of ${r.chunks}`, num(r.failed),
      r.passes.map((p) => `pass ${p.attempt}: ${p.stored}/${p.chunks} stored${p.failed ? `, ${p.failed} failed` : ''}`).join('; ') || '—']);
    replace(runs,
      table('Generation runs', ['Day', 'Trigger', 'Status', 'Started', 'Finished', 'Tenants', 'Stored', 'Failed', 'Passes'], rows,
        'No run recorded yet: the nightly run, a reconcile, a regeneration or the generate command records one.'),
      h('p', { class: 'pager' },
        after ? h('button', { type: 'button', onclick: () => { after = null; loadRuns(); } }, 'Newest runs') : null, ' ',
        c.pageInfo.hasNextPage ? h('button', { type: 'button', onclick: () => { after = c.pageInfo.endCursor; loadRuns(); } }, 'Older runs') : null));
  }

  async function loadFailed() {
    const data = await run(() => api.failed());
    if (!data) return;
    const hours = data.failedReports;
    const ids = [...new Set(hours.map((x) => x.tenantId))];
    const names = {};
    if (ids.length) {
      const n = await run(() => api.tenantNames(ids));
      for (const t of (n && n.nodes) || []) if (t) names[t.id] = t.name;
    }
    const rows = hours.map((x) => {
      const name = names[x.tenantId] || x.tenantId;
      return [
        h('a', { href: path(`tenants/${x.tenantId}?day=${x.utcDay}&hour=${x.utcHour}`) }, name),
        x.utcDay, pad(x.utcHour), num(x.attempts), x.lastError || '—',
        h('button', {
          type: 'button', 'aria-label': `Regenerate ${name} ${x.utcDay} hour ${pad(x.utcHour)}`,
          onclick: () => regenerate(x, name),
        }, 'Regenerate')];
    });
    replace(failed, table('Failed hours', ['Tenant', 'Day', 'Hour', 'Attempts', 'Why', 'Action'], rows,
      'No hour is failing: every hour the runs claimed is stored.'));
  }

  async function regenerate(x, name) {
    const data = await run(() => api.regenerate({ tenantId: x.tenantId, utcDay: x.utcDay, utcHour: x.utcHour }));
    if (data) say(`Queued ${name} ${x.utcDay} hour ${pad(x.utcHour)} for rebuilding (${data.regenerateReports.enqueued} hour). A new run appears above once a worker takes it.`);
  }

  replace(main,
    h('h1', {}, 'Generation runs'),
    h('section', { class: 'card' }, h('p', { class: 'muted' }, 'Newest first. A run tries each hour up to three times: a first pass over every hour, then two passes over those that failed.'),
      runs, h('p', {}, h('button', { type: 'button', onclick: () => { loadRuns(); loadFailed(); } }, 'Refresh'))),
    h('section', { class: 'card' }, h('h2', {}, 'Failed hours'),
      h('p', { class: 'muted' }, 'Hours of every tenant whose last build failed; a fetch builds them live meanwhile. Regenerate queues a rebuild on the workers.'),
      failed));
  loadRuns();
  loadFailed();
}
