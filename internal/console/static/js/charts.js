// The pictures: a day's 24 hours as a grid coloured by status, the
// conversations of each hour as a bar chart, and the days of the retention
// window as a calendar. Each is drawn with plain DOM and SVG and carries
// its meaning in text too (accessible names, labels), not in colour alone.

import { h, s } from './dom.js';

const pad = (n) => String(n).padStart(2, '0');

// The statuses, in the order of the legend.
const statuses = ['STORED', 'MISSING', 'STALE', 'FAILED', 'EXPIRED', 'NOT_READY'];

// hourGrid is the day's 24 hours, each a button named "Hour HH: STATUS"
// (then its count), pressed to choose it.
export function hourGrid(hours, selected, onSelect) {
  return h('div', { class: 'hours', role: 'group', 'aria-label': 'Hours of the day' },
    hours.map((x) => {
      const count = x.conversationCount === null || x.conversationCount === undefined ? '' : `, ${x.conversationCount} conversations`;
      return h('button', {
        type: 'button',
        class: `hour st-${x.status.toLowerCase()}`,
        'aria-label': `Hour ${pad(x.utcHour)}: ${x.status}${count}`,
        'aria-pressed': String(x.utcHour === selected),
        onclick: () => onSelect(x.utcHour),
      }, h('span', { class: 'hh' }, `${pad(x.utcHour)}:`), ' ', h('span', { class: 'st' }, x.status));
    }));
}

// legend names the colours of the grid.
export function legend() {
  return h('ul', { class: 'legend', 'aria-label': 'Statuses' },
    statuses.map((k) => h('li', {}, h('span', { class: `swatch st-${k.toLowerCase()}`, 'aria-hidden': 'true' }), k)));
}

// conversationsChart is a bar chart of the conversations per hour of the
// stored hours; its accessible name sums it up.
export function conversationsChart(hours) {
  const counts = hours.map((x) => x.conversationCount || 0);
  const top = Math.max(1, ...counts);
  const W = 960, H = 200, bar = W / 24;
  const total = counts.reduce((a, b) => a + b, 0);
  const busiest = counts.indexOf(Math.max(...counts));
  const name = total === 0
    ? 'Conversations per hour: no stored hour has conversations'
    : `Conversations per hour: ${total} in the stored hours, the most (${counts[busiest]}) at ${pad(busiest)}:00`;
  return h('figure', { class: 'chart' },
    s('svg', { viewBox: `0 0 ${W} ${H + 18}`, role: 'img', 'aria-label': name },
      s('title', {}, name),
      s('line', { x1: 0, y1: H, x2: W, y2: H, class: 'axis' }),
      hours.map((x, i) => {
        const v = counts[i];
        const bh = Math.round((v / top) * (H - 10));
        return s('g', {},
          s('rect', { x: i * bar + 2, y: H - bh, width: bar - 4, height: Math.max(bh, x.conversationCount === null ? 0 : 1), class: `bar st-${x.status.toLowerCase()}` }),
          i % 3 === 0 ? s('text', { x: i * bar + bar / 2, y: H + 14, 'text-anchor': 'middle', class: 'tick' }, pad(i)) : null);
      })),
    h('figcaption', {}, `Conversations per hour (UTC); the tallest bar is ${top}. Hours that are not stored count no conversations here.`));
}

// calendar is the days of the retention window, first to last (Date
// objects at midnight UTC), by month; the chosen day is marked, and each
// day is a button that chooses it.
export function calendar(first, last, chosen, onSelect) {
  const months = [];
  for (let m = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1)); m <= last; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
    months.push(month(m, first, last, chosen, onSelect));
  }
  return h('div', { class: 'calendar', role: 'group', 'aria-label': 'Days of the retention window' }, months);
}

const iso = (d) => d.toISOString().slice(0, 10);

function month(m, first, last, chosen, onSelect) {
  const title = m.toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const cells = [];
  const lead = (m.getUTCDay() + 6) % 7; // Monday first
  for (let i = 0; i < lead; i++) cells.push(h('span', { class: 'day blank', 'aria-hidden': 'true' }));
  for (let d = new Date(m); d.getUTCMonth() === m.getUTCMonth(); d = new Date(d.getTime() + 86400000)) {
    const day = iso(d);
    const inside = d >= first && d <= last;
    cells.push(inside
      ? h('button', { type: 'button', class: 'day', 'aria-label': day, 'aria-pressed': String(day === chosen), onclick: () => onSelect(day) }, String(d.getUTCDate()))
      : h('span', { class: 'day out', 'aria-hidden': 'true' }, String(d.getUTCDate())));
  }
  return h('section', { class: 'month', 'aria-label': title },
    h('h4', {}, title),
    h('div', { class: 'weekdays', 'aria-hidden': 'true' }, ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'].map((w) => h('span', {}, w))),
    h('div', { class: 'days' }, cells));
}
