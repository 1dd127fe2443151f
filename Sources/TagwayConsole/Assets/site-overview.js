// The Overview of a site (`tagway site`): this process's role and the lease holder, the consumer's
// lag, each gateway's applied position and its assets, the assets by gateway/zone, the problems
// the site counted, its sinks, the site alerts and the live site events. A site has no readers.
import { alertsPanel } from './alerts.js';
import { livePanel } from './live.js';
import { sinksPanel } from './overview.js';
import { gatewayOf, zoneOf } from './site.js';

const PROBLEMS = [['notAnEvent', 'Not an event'], ['gaps', 'Gaps skipped'], ['clockSkew', 'Clock skew'],
  ['reorderOverflow', 'Reorder overflow'], ['superseded', 'Superseded']];

function section(fmt, id, title, testid, wide) {
  const box = fmt.el('div', {});
  const node = fmt.el('section', { class: wide ? 'panel wide' : 'panel', 'data-testid': testid, 'aria-labelledby': `h-${id}` },
    fmt.el('h2', { id: `h-${id}` }, title), box);
  return { node, box };
}

function statusFacts(fmt, status) {
  if (!status) return [fmt.empty('The site does not answer GET /v1/status.', 'Check that tagway site is running.')];
  const consumer = status.consumer || {};
  const active = status.role === 'active';
  const facts = [['Site', status.site], ['This process', fmt.badge(active ? 'ok' : 'idle', status.role)], ['Process id', status.owner],
  ['Lease holder', status.leaseHolder || 'nobody (a process takes it within leaseTTL)']];
  if (status.jetstream) facts.push(['JetStream', fmt.badge('bad', `cannot be read: ${status.jetstream.error}`)]);
  else {
    facts.push(['Lag', `${fmt.number(consumer.pending)} gateway events not yet delivered, ${fmt.number(consumer.ackPending)} not yet applied`]);
    facts.push(['Consumer', `${consumer.name || '–'} on stream ${consumer.stream || '–'}`]);
    facts.push(['Last site event', fmt.number(status.lastSeq)]);
  }
  facts.push(['Gateway events', `${fmt.number(status.received)} received, ${fmt.number(status.published)} site events published`]);
  return [fmt.el('dl', { class: 'facts', 'data-testid': 'site-facts', 'data-role': status.role, 'data-lease-holder': status.leaseHolder }, facts.map(([k, v]) => [fmt.el('dt', {}, k), fmt.el('dd', {}, v)]))];
}

function gatewaysTable(fmt, status, zones) {
  const { el } = fmt;
  const positions = (status && status.positions) || {};
  const assets = {};
  for (const z of zones) assets[gatewayOf(z.id)] = (assets[gatewayOf(z.id)] || 0) + Number(z.assets || 0);
  const names = [...new Set([...Object.keys(positions), ...Object.keys(assets).filter(Boolean)])].sort();
  if (!names.length) {
    return [fmt.empty('No gateway has sent an event yet.', 'A gateway of this site (gateway.site) with a jetstream sink into the site\'s stream shows here after its first event.')];
  }
  return [el('table', { 'data-testid': 'site-gateways' },
    el('caption', { class: 'muted' }, 'Next seq: of the gateway\'s log, the next event the site applies (each once, in seq order).'),
    el('thead', {}, el('tr', {}, ['Gateway', 'Next seq', 'Assets'].map((h, i) => el('th', { scope: 'col', class: i ? 'num' : null }, h)))),
    el('tbody', {}, names.map((g) => el('tr', { 'data-testid': `site-gateway-${g}`, 'data-position': positions[g] },
      el('th', { scope: 'row' }, g), el('td', { class: 'num' }, positions[g] === undefined ? '–' : fmt.number(positions[g])),
      el('td', { class: 'num' }, fmt.number(assets[g] || 0))))))];
}

function zonesTable(fmt, zones) {
  const { el } = fmt;
  if (!zones.length) return [fmt.empty('No asset is in any zone of the site.', 'Assets show here when a gateway of the site reads them.')];
  return [el('table', { 'data-testid': 'site-zones' },
    el('thead', {}, el('tr', {}, ['Gateway', 'Zone', 'Assets'].map((h, i) => el('th', { scope: 'col', class: i === 2 ? 'num' : null }, h)))),
    el('tbody', {}, zones.map((z) => el('tr', { 'data-testid': `site-zone-${z.id}`, 'data-assets': z.assets },
      el('td', {}, gatewayOf(z.id)), el('th', { scope: 'row' }, el('a', { href: `#/zones/${encodeURIComponent(z.id)}` }, zoneOf(z.id))),
      el('td', { class: 'num' }, fmt.number(z.assets))))))];
}

function problemsFacts(fmt, status) {
  const problems = (status && status.problems) || {};
  const facts = PROBLEMS.map(([k, name]) => [name, fmt.number(problems[k] || 0)]);
  facts.push(['Failures', fmt.number(status ? status.failures : 0)]);
  if (problems.last) facts.push(['Last', problems.last]);
  const total = Number(problems.total || 0);
  return [total ? fmt.badge('warn', `${fmt.number(total)} problems counted by this process`) : fmt.badge('ok', 'none counted by this process'),
    fmt.el('dl', { class: 'facts' }, facts.map(([k, v]) => [fmt.el('dt', {}, k), fmt.el('dd', {}, v)]))];
}

export default {
  route: 'overview', title: 'Overview', nav: true, site: true,
  render(main, ctx) {
    const { fmt, api } = ctx;
    let stopped = false;
    const site = section(fmt, 'site', 'Site view', 'site-status');
    const gateways = section(fmt, 'gateways', 'Gateways', 'site-gateways-panel');
    const places = section(fmt, 'places', 'Assets by gateway and zone', 'site-zones-panel');
    const problems = section(fmt, 'problems', 'Problems', 'site-problems');
    const sinks = section(fmt, 'sinks', 'Sinks', 'site-sinks');
    const alerts = alertsPanel(api, 'Site alerts come from the rules: of site.yaml (places gateway/zone or gateway/*).');
    const live = livePanel(api, { site: true, onAlert: alerts.load,
      idle: 'Site events appear here as the site applies the gateways\' events: arrivals, moves between gateways, departures.' });
    main.append(fmt.el('h1', {}, 'Site overview'),
      fmt.el('div', { class: 'grid' }, site.node, gateways.node, places.node, problems.node, sinks.node, alerts.node, live.node));

    let first = true;
    async function poll() {
      let status = ctx.status;
      let zones = [];
      try { status = await api.get('/v1/status'); } catch (_) { /* the last status stays */ }
      try { zones = (await api.get('/v1/zones')).zones || []; } catch (_) { /* shown as none */ }
      if (stopped) return;
      fmt.fill(site.box, statusFacts(fmt, status));
      fmt.fill(gateways.box, gatewaysTable(fmt, status, zones));
      fmt.fill(places.box, zonesTable(fmt, zones));
      fmt.fill(problems.box, problemsFacts(fmt, status));
      fmt.fill(sinks.box, status && status.sinks && status.sinks.length ? sinksPanel(fmt, status)
        : fmt.empty('No sinks: site events stay in the site events stream, read through /v1/events.',
          'To forward them, add a webhook, Snipe-IT, EPCIS or JetStream sink under sinks: in site.yaml.'));
      if (first) { first = false; performance.mark('overview-rendered'); }
    }
    poll();
    // Every 5 s, not a gateway's 2: both answers read the site's bucket, whole for /v1/zones.
    const timer = setInterval(poll, 5000);
    return () => { stopped = true; clearInterval(timer); alerts.close(); live.close(); };
  },
};
