// Overview: readers, sinks, the event log, alerts of the last 24 h and the live feed.
import { alertsPanel } from './alerts.js';
import { livePanel } from './live.js';

function sum(object) {
  return Object.values(object || {}).reduce((a, b) => a + Number(b || 0), 0);
}

function readersPanel(fmt, status) {
  const { el } = fmt;
  const readers = (status && status.readers) || [];
  if (!readers.length) {
    return [fmt.empty('No readers are configured or connected.',
      'Add a reader under readers: in the configuration (its port, e.g. /dev/ttyUSB0; tagway devices lists them), then reload the gateway.')];
  }
  const rows = readers.map((r) => {
    const drops = r.decodeDrops || {};
    const dropText = Object.entries(drops).map(([k, v]) => `${k}: ${v}`).join(', ');
    return el('tr', { 'data-testid': `reader-row-${r.reader}` },
      el('th', { scope: 'row' }, r.reader, el('div', { class: 'muted path' }, r.path)),
      el('td', {}, r.connected ? fmt.badge('ok', 'connected') : fmt.badge('bad', 'disconnected')),
      el('td', { class: 'num' }, fmt.number(r.framesPerSecond)),
      el('td', {}, r.lastFrame ? fmt.ago(r.lastFrame) : 'never', r.lastFrame ? el('div', { class: 'muted' }, fmt.time(r.lastFrame)) : null),
      el('td', { class: 'num', title: dropText || 'none' }, fmt.number(sum(drops))),
      el('td', { class: 'num' }, fmt.number(r.reconnects)),
      el('td', {}, r.lastError || ''));
  });
  return [el('div', { class: 'scroll' }, el('table', { 'data-testid': 'readers-table' },
    el('caption', { class: 'muted' }, 'Frames per second over the last 10 s; decode drops since start (hover for reasons).'),
    el('thead', {}, el('tr', {}, ['Reader', 'State', 'Frames/s', 'Last frame', 'Decode drops', 'Reconnects', 'Last error']
      .map((h, i) => el('th', { scope: 'col', class: i === 2 || i === 4 || i === 5 ? 'num' : null }, h)))),
    el('tbody', {}, rows)))];
}

function sinkState(fmt, state) {
  const kinds = { idle: 'ok', delivering: 'ok', lingering: 'info', retrying: 'warn', stopped: 'bad' };
  return fmt.badge(kinds[state] || 'info', state);
}

export function sinksPanel(fmt, status) {
  const { el } = fmt;
  const sinks = (status && status.sinks) || [];
  if (!sinks.length) {
    return [fmt.empty('No sinks: events stay in the log and are read through the API.',
      'To forward them, add a webhook, MQTT, EPCIS or Snipe-IT sink under sinks: in the configuration.')];
  }
  return [el('div', { class: 'scroll' }, el('table', { 'data-testid': 'sinks-table' },
    el('thead', {}, el('tr', {}, ['Sink', 'State', 'Backlog', 'Last success', 'Last error']
      .map((h, i) => el('th', { scope: 'col', class: i === 2 ? 'num' : null }, h)))),
    el('tbody', {}, sinks.map((s) => el('tr', { 'data-testid': `sink-row-${s.id}` },
      el('th', { scope: 'row' }, s.id, el('div', { class: 'muted' }, s.kind)),
      el('td', {}, sinkState(fmt, s.state)),
      el('td', { class: 'num' }, fmt.number(s.backlog)),
      el('td', {}, s.lastSuccess ? fmt.time(s.lastSuccess) : 'never'),
      el('td', {}, s.lastError ? [s.lastError, el('div', { class: 'muted' }, fmt.time(s.lastErrorTime))] : ''))))))];
}

function logPanel(fmt, status) {
  const { el } = fmt;
  if (!status) return [fmt.empty('The gateway does not report its status (GET /v1/status).', 'Update the gateway to a version with the console.')];
  const log = status.log || {};
  const facts = [['Last seq', fmt.number(status.lastSeq)], ['Size', log.bytes !== undefined ? fmt.bytes(log.bytes) : '–'],
    ['Held events', fmt.number(log.heldEvents)], ['State', log.fatal ? fmt.badge('bad', `failed: ${log.fatal}`)
      : log.lastError ? fmt.badge('warn', `error: ${log.lastError}`) : fmt.badge('ok', 'writing')]];
  if (status.engine) {
    facts.push(['Assets tracked', fmt.number(status.engine.trackedAssets)]);
    facts.push(['Tag presences', fmt.number(status.engine.present)]);
  }
  if (status.version) facts.push(['Version', status.version]);
  if (status.startedAt) facts.push(['Running since', fmt.time(status.startedAt)]);
  return [el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]))];
}

export default {
  route: 'overview', title: 'Overview', nav: true,
  render(main, ctx) {
    const { fmt, api } = ctx;
    const { el } = fmt;
    let stopped = false;
    const readers = el('section', { class: 'panel wide', 'aria-labelledby': 'h-readers' }, el('h2', { id: 'h-readers' }, 'Readers'));
    const sinks = el('section', { class: 'panel', 'aria-labelledby': 'h-sinks' }, el('h2', { id: 'h-sinks' }, 'Sinks'));
    const logBox = el('div', {});
    const log = el('section', { class: 'panel', 'data-testid': 'log-panel', 'aria-labelledby': 'h-log' }, el('h2', { id: 'h-log' }, 'Event log'), logBox);
    const alerts = alertsPanel(api, 'Alerts come from the rules: section (allowed zones, doors an asset must not pass).');
    const live = livePanel(api, { onAlert: alerts.load,
      idle: 'Events appear here as readers read tags; a tag in front of a reader shows up within a second.' });

    main.append(el('h1', {}, 'Overview'), el('div', { class: 'grid' }, readers, sinks, log, alerts.node, live.node));

    let first = true;
    function show(status) {
      fmt.fill(readers, el('h2', { id: 'h-readers' }, 'Readers'), readersPanel(fmt, status));
      fmt.fill(sinks, el('h2', { id: 'h-sinks' }, 'Sinks'), sinksPanel(fmt, status));
      fmt.fill(logBox, logPanel(fmt, status));
      if (first) {
        first = false;
        performance.mark('overview-rendered');
      }
    }

    async function poll() {
      let status = null;
      try { status = await api.get('/v1/status'); } catch (error) { if (error.status !== 404) status = ctx.status; }
      if (!stopped) show(status);
    }

    show(ctx.status);
    poll();
    const timer = setInterval(poll, 2000);
    return () => { stopped = true; clearInterval(timer); alerts.close(); live.close(); };
  },
};
