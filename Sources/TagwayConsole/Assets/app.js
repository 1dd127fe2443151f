// The shell: login, navigation by hash route, the status line, and one page at a time (each
// page's cleanup stops its timers and streams when the user leaves it).
import api from './api.js';
import fmt from './format.js';
import pages, { sitePages } from './pages.js';
import { isSite } from './site.js';
import { probe, renderLogin } from './login.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const logout = document.getElementById('logout');
const auth = document.getElementById('auth');
const gateway = document.getElementById('gateway');
const statusLine = document.getElementById('status-line');

let cleanup = null;
let status = null;
/** The gateway's pages, or a site's once /v1/status says it is one. */
let list = pages;
let statusTimer = null;
let loggedIn = false;

function leavePage() {
  if (typeof cleanup === 'function') {
    try { cleanup(); } catch (_) { /* a page's cleanup failing must not block navigation */ }
  }
  cleanup = null;
}

function parseHash() {
  const parts = (location.hash.replace(/^#\/?/, '') || 'overview').split('/').filter((p) => p !== '');
  let params;
  try { params = parts.slice(1).map(decodeURIComponent); } catch (_) { params = parts.slice(1); }
  return { route: parts[0] || 'overview', params };
}

function navigate(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

async function refreshStatus() {
  try {
    status = await api.get('/v1/status');
    fmt.setTimeZone(status.timeZone);
    list = isSite(status) ? await sitePages() : pages;
    gateway.textContent = isSite(status) ? `site ${status.site} · ${status.role} · ${fmt.zone()}` : `${status.gateway || ''} · ${fmt.zone()}`;
  } catch (error) {
    if (error.status === 404) {
      // A gateway without /v1/status: the pages show what the other endpoints give.
      status = null;
    } else if (error.status !== 401) {
      statusLine.textContent = `Status not available: ${error.message}`;
    }
  }
  return status;
}

function buildNav(active) {
  fmt.fill(nav, el('ul', {}, list.filter((p) => p.nav !== false).map((page) =>
    el('li', {}, el('a', { href: `#/${page.route}`, 'data-testid': `nav-${page.route}`,
      'aria-current': page.route === active ? 'page' : null }, page.title)))));
}

const el = fmt.el;

async function route() {
  if (!loggedIn) return;
  leavePage();
  const { route: name, params } = parseHash();
  const page = list.find((p) => p.route === name);
  // An asset is reached from Zones: that entry stays marked.
  buildNav(page && page.route === 'assets' ? 'zones' : name);
  main.replaceChildren();
  if (!page) {
    main.append(fmt.empty(`There is no page “${name}”.`, 'Pick a page in the navigation above, or go to the overview.'),
      el('a', { href: '#/overview' }, 'Overview'));
    return;
  }
  document.title = `${page.title} · Tagway console`;
  const ctx = { api, fmt, params, status, navigate, site: isSite(status) };
  try {
    cleanup = page.render(main, ctx);
  } catch (error) {
    main.append(el('p', { class: 'error', role: 'alert' }, `This page failed: ${error.message}`));
  }
  main.focus({ preventScroll: true });
}

function showLogin(message) {
  loggedIn = false;
  leavePage();
  clearInterval(statusTimer);
  nav.hidden = true;
  logout.hidden = true;
  auth.textContent = '';
  document.title = 'Log in · Tagway console';
  renderLogin(main, { api, message, onDone: enter });
}

async function enter(note) {
  loggedIn = true;
  nav.hidden = false;
  logout.hidden = !api.token();
  auth.textContent = note || '';
  await refreshStatus();
  clearInterval(statusTimer);
  statusTimer = setInterval(refreshStatus, 15000);
  route();
}

api.onUnauthorized(() => {
  if (!loggedIn) return;
  api.clearToken();
  showLogin('The gateway refused the token (it may have been rotated). Log in again.');
});

logout.addEventListener('click', () => {
  api.clearToken();
  showLogin(null);
});

window.addEventListener('hashchange', route);

async function start() {
  const token = api.token();
  const answer = await probe(token);
  if (answer === 'ok') {
    enter(token ? null : 'No token needed: this gateway has no api.tokens (it listens on loopback only).');
  } else if (answer === 'refused') {
    api.clearToken();
    showLogin(token ? 'The stored token is no longer accepted. Log in again.' : null);
  } else {
    fmt.fill(main, fmt.empty(`Tagway does not answer: ${answer.slice(6)}.`,
      'Check that tagway run (a gateway) or tagway site (a site) is running, then reload this page.'));
  }
}

start();
