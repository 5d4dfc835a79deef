// The console: who is signed in, the navigation, and the routes under
// /console/. Tenant principals see their days; host administrators also
// see tenants, API clients and generation runs.

import { h, replace, byId } from './dom.js';
import { api, session, path } from './api.js';
import { explain } from './errors.js';
import { hooks, alert, say } from './ui.js';
import { signIn } from './signin.js';
import { dayView } from './day.js';
import { tenantsView, tenantView } from './tenants.js';
import { clientsSection } from './clients.js';
import { runsView } from './runs.js';

const main = byId('main');
let viewer = null;

const isHost = () => viewer && viewer.scopes.includes('host_admin');

// route is the console path of the page, without /console/.
function route() {
  const base = path('');
  return location.pathname.startsWith(base) ? location.pathname.slice(base.length) : '';
}

// go shows route (it may carry a query), as a link would.
export function go(to) {
  history.pushState(null, '', path(to));
  render();
}

function signOut(message) {
  session.clear();
  viewer = null;
  nav();
  if (route() !== '') history.replaceState(null, '', path(''));
  show(message);
}

// show renders sign-in, or the page of the current route.
function show(message) {
  alert(null);
  if (!viewer) {
    document.title = 'Sign in · dailyreports console';
    signIn(main, message, (token, v) => {
      session.set(token);
      viewer = v;
      nav();
      say(`Signed in as ${v.subject}.`);
      render();
    });
    return;
  }
  render();
}

function render() {
  const r = route().replace(/\/$/, '');
  const [page, id] = r.split('/');
  alert(null);
  nav(page);
  if (!isHost()) {
    if (!viewer.tenant) {
      replace(main, h('h1', {}, 'Nothing to show'), h('p', {}, 'This token names no tenant and does not have the host_admin scope, so there is nothing the console can show with it. Sign out and use another.'));
      return;
    }
    title(viewer.tenant.name);
    dayView(main, viewer.tenant, false);
    return;
  }
  switch (page) {
    case 'tenants':
      if (id) {
        title('Tenant');
        tenantView(main, id);
      } else {
        title('Tenants');
        tenantsView(main, go);
      }
      return;
    case 'clients':
      title('API clients');
      replace(main, h('h1', {}, 'API clients'), clientsSection(null));
      return;
    case 'runs':
      title('Generation runs');
      runsView(main);
      return;
    default:
      if (page) replace(main, h('h1', {}, 'Not found'), h('p', {}, 'The console has no such page.'));
      else {
        history.replaceState(null, '', path('tenants'));
        render();
      }
  }
}

function title(t) {
  document.title = `${t} · dailyreports console`;
  main.focus({ preventScroll: true });
}

// nav draws the navigation and who is signed in; current is the route's
// first part.
function nav(current) {
  const links = !viewer ? [] : isHost()
    ? [['tenants', 'Tenants'], ['clients', 'API clients'], ['runs', 'Runs']]
    : [['', 'Day']];
  replace(byId('nav'), h('ul', {}, links.map(([to, label]) =>
    h('li', {}, h('a', { href: path(to), 'aria-current': (current || '') === to ? 'page' : null }, label)))));
  replace(byId('who'), viewer
    ? [h('span', { class: 'subject' }, viewer.tenant ? `${viewer.tenant.name} · ${viewer.subject}` : `host · ${viewer.subject}`),
      h('button', { type: 'button', onclick: () => signOut('You signed out. Sign in again to go on.') }, 'Sign out')]
    : []);
}

// Links to console pages stay in the page.
document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download') || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
  const url = new URL(a.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(path(''))) return;
  ev.preventDefault();
  history.pushState(null, '', url.pathname + url.search);
  render();
});
window.addEventListener('popstate', () => (viewer ? render() : show()));

hooks.onSignedOut = (message) => signOut(message);

async function start() {
  if (!session.token()) return show();
  if (session.expired()) return signOut(explain({ code: 'UNAUTHENTICATED' }));
  try {
    viewer = (await api.viewer()).viewer;
  } catch (err) {
    return signOut(explain(err));
  }
  nav();
  render();
}
start();
