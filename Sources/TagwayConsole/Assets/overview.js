// Overview: readers, sinks, the event log, alerts of the last 24 h and the live feed.
import { feedList } from './feed.js';

/** Events of the log shown when the page opens, before the live ones. */
const RECENT = 20;
const STATES = { open: '● live', connecting: 'connecting…', retrying: 'reconnecting…', closed: 'stopped' };
const TYPES = ['arrived', 'moved', 'departed', 'passed', 'observed', 'alert', 'audit', 'unknown'];

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

function sinksPanel(fmt, status) {
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

function alertItem(fmt, event) {
  const { el } = fmt;
  const key = event.asset ? event.asset.key : '';
  return el('li', { 'data-seq': event.seq },
    el('span', { class: 'when' }, fmt.time(event.time)), ' ',
    el('span', { class: 'type type-alert' }, 'alert'), ' ',
    el('a', { class: 'key', href: `#/assets/${encodeURIComponent(key)}` }, key), ' ',
    el('span', {}, [event.rule ? `rule ${event.rule}` : '', event.reason || (event.to || event.from ? `in ${event.to || event.from}` : '')]
      .filter(Boolean).join(': ')));
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
    const alertList = el('ol', { class: 'feed', 'data-testid': 'alerts-list', reversed: true });
    const alertsBox = el('div', {}, el('p', { class: 'loading' }, 'Loading alerts…'));
    const alerts = el('section', { class: 'panel', 'aria-labelledby': 'h-alerts' }, el('h2', { id: 'h-alerts' }, 'Alerts, last 24 hours'), alertsBox);

    const feed = feedList('feed');
    const type = el('select', { id: 'feed-type', 'data-testid': 'feed-filter-type' },
      el('option', { value: '' }, 'All types'), TYPES.map((t) => el('option', { value: t }, t)));
    const zone = el('select', { id: 'feed-zone', 'data-testid': 'feed-filter-zone' }, el('option', { value: '' }, 'All zones'));
    const asset = el('input', { id: 'feed-asset', type: 'search', 'data-testid': 'feed-filter-asset', placeholder: 'part of a key' });
    const feedState = el('span', { class: 'muted', role: 'status' }, 'connecting…');
    const feedEmpty = fmt.empty('No events since this page opened.', 'Events appear here as readers read tags; a tag in front of a reader shows up within a second.');
    const applyFilter = () => {
      const t = type.value; const z = zone.value; const a = asset.value.trim().toLowerCase();
      feed.setFilter((e) => (!t || e.type === t) && (!z || e.from === z || e.to === z)
        && (!a || (e.asset && e.asset.key.toLowerCase().includes(a))));
    };
    type.addEventListener('change', applyFilter);
    zone.addEventListener('change', applyFilter);
    asset.addEventListener('input', applyFilter);
    const live = el('section', { class: 'panel wide', 'aria-labelledby': 'h-feed' },
      el('h2', { id: 'h-feed' }, 'Live events ', feedState),
      el('div', { class: 'filters' },
        el('div', {}, el('label', { for: 'feed-type' }, 'Type'), type),
        el('div', {}, el('label', { for: 'feed-zone' }, 'Zone'), zone),
        el('div', {}, el('label', { for: 'feed-asset' }, 'Asset'), asset)),
      feedEmpty, feed.node);

    main.append(el('h1', {}, 'Overview'), el('div', { class: 'grid' }, readers, sinks, log, alerts, live));

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

    async function loadAlerts() {
      const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
      try {
        const events = await api.get(`/v1/events?type=alert&since=${encodeURIComponent(since)}&limit=500`);
        if (stopped) return;
        alertList.replaceChildren(...events.slice().reverse().map((e) => alertItem(fmt, e)));
        fmt.fill(alertsBox, events.length ? alertList
          : fmt.empty('No alerts in the last 24 hours.', 'Alerts come from the rules: section (allowed zones, doors an asset must not pass).'));
      } catch (error) {
        if (!stopped) fmt.fill(alertsBox, el('p', { class: 'error' }, `Alerts cannot be read: ${error.message}`));
      }
    }

    show(ctx.status);
    poll();
    loadAlerts();
    const timer = setInterval(poll, 2000);
    const alertTimer = setInterval(loadAlerts, 60000);
    let close = () => {};
    // The feed starts with the last few events of the log, then follows it live.
    api.get('/v1/zones').then((answer) => {
      if (stopped) return;
      for (const z of answer.zones || []) zone.append(el('option', { value: z.id }, z.name ? `${z.name} (${z.id})` : z.id));
      close = api.stream({
        after: Math.max(0, Number(answer.lastSeq || 0) - RECENT),
        onEvent(event) {
          feedEmpty.hidden = true;
          feed.add(event);
          if (event.type === 'alert') loadAlerts();
        },
        onState(state) { feedState.textContent = STATES[state] || state; },
      });
    }).catch((error) => { feedState.textContent = `not available: ${error.message}`; });
    return () => { stopped = true; clearInterval(timer); clearInterval(alertTimer); close(); };
  },
};
