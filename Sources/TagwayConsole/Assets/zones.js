// Zones: every zone as a card (doors drawn with their inside and outside read points), the
// assets in it now and its count, kept current from the live stream. At a site a zone is
// `gateway/zone`, listed while it holds assets (the site knows no gateway's configuration).
import { gatewayOf, zoneOf } from './site.js';

const LIST_LIMIT = 50;
const ONE_ZONE_LIMIT = 500;
const MOVES = 5;

function doorDrawing(fmt, door) {
  const { el } = fmt;
  return el('div', { class: 'door', role: 'img', 'aria-label': `Door: inside ${door.inside.join(', ') || 'none'}; outside ${door.outside.join(', ') || 'none'}` },
    el('div', { class: 'side' }, el('strong', {}, 'Inside'), el('div', { class: 'key' }, door.inside.join(', ') || '–')),
    el('div', { class: 'frame', 'aria-hidden': 'true' }),
    el('div', { class: 'side' }, el('strong', {}, 'Outside'), el('div', { class: 'key' }, door.outside.join(', ') || '–')));
}

function assetItem(fmt, record) {
  const { el } = fmt;
  return el('li', {},
    el('a', { class: 'key', href: `#/assets/${encodeURIComponent(record.key)}`, 'data-testid': `asset-link-${record.key}` }, record.key),
    el('div', { class: 'muted' }, record.readPoint ? `at ${record.readPoint}` : `at gateway ${record.gateway}`,
      record.doorSide ? ` (${record.doorSide})` : '', ` · since ${fmt.time(record.since)} · seen ${fmt.ago(record.lastSeen)}`));
}

export default {
  route: 'zones', title: 'Zones', nav: true,
  render(main, ctx) {
    const { fmt, api } = ctx;
    const { el } = fmt;
    const only = ctx.params[0] || null;
    const limit = only ? ONE_ZONE_LIMIT : LIST_LIMIT;
    const cards = new Map();
    let stopped = false;
    let close = () => {};
    let pending = new Set();
    let timer = null;
    const grid = el('div', { class: 'zones' });
    const state = el('span', { class: 'muted', role: 'status' });
    fmt.fill(main, el('h1', {}, only ? `Zone ${only} ` : 'Zones ', state),
      only ? el('p', {}, el('a', { href: '#/zones' }, '← all zones')) : null, grid);

    function card(zone) {
      const count = el('span', { class: 'count', 'aria-label': `${zone.assets} assets` }, fmt.number(zone.assets));
      const assets = el('ul', { class: 'assets', 'data-testid': `zone-assets-${zone.id}`, 'aria-label': `Assets in ${zone.id}` });
      const more = el('p', { class: 'muted', hidden: true });
      const moves = el('ul', { class: 'moves', 'aria-label': `Recent movements in ${zone.id}` });
      const node = el('section', { class: 'panel zone-card', 'data-testid': `zone-card-${zone.id}`, 'aria-labelledby': `zone-h-${zone.id}` },
        el('header', {}, el('h2', { id: `zone-h-${zone.id}` }, el('a', { href: `#/zones/${encodeURIComponent(zone.id)}` }, zone.name || zone.id)), count),
        el('p', { class: 'muted' }, ctx.site ? `zone ${zoneOf(zone.id)} of gateway ${gatewayOf(zone.id)}` : [zone.name ? `${zone.id} · ` : '', `${zone.mode || 'not configured'}`],
          zone.readPoints && zone.readPoints.length ? ` · read points ${zone.readPoints.join(', ')}` : ''),
        zone.door ? doorDrawing(fmt, zone.door) : null,
        assets, more, moves);
      cards.set(zone.id, { node, count, assets, more, moves, zone });
      return node;
    }

    async function loadAssets(id) {
      const entry = cards.get(id);
      if (!entry) return;
      try {
        const answer = await api.get(`/v1/assets?zone=${encodeURIComponent(id)}&limit=${limit}`);
        if (stopped) return;
        const records = answer.assets || [];
        fmt.fill(entry.assets, records.map((r) => assetItem(fmt, r)));
        if (!records.length) {
          entry.assets.append(el('li', {}, fmt.empty('No assets here now.',
            ctx.site ? 'The site lists a zone while it holds assets; this one is empty now.'
              : entry.zone.readPoints && entry.zone.readPoints.length ? `A tag read at ${entry.zone.readPoints.join(' or ')} appears here.` : 'This zone has no read points in the configuration.')));
        }
        entry.more.hidden = !answer.next;
        entry.more.textContent = answer.next ? `Showing the first ${limit}; open the zone to see more.` : '';
      } catch (error) {
        if (!stopped) fmt.fill(entry.assets, el('li', { class: 'error' }, `Cannot list assets: ${error.message}`));
      }
    }

    async function loadCounts() {
      const answer = await api.get('/v1/zones');
      for (const zone of answer.zones || []) {
        const entry = cards.get(zone.id);
        if (entry) { entry.count.textContent = fmt.number(zone.assets); entry.count.setAttribute('aria-label', `${zone.assets} assets`); }
        else if (!only || zone.id === only) { grid.append(card(zone)); loadAssets(zone.id); }
      }
      return answer;
    }

    function refreshSoon(ids) {
      for (const id of ids) if (id) pending.add(id);
      if (timer) return;
      timer = setTimeout(async () => {
        timer = null;
        const ids = pending; pending = new Set();
        try { await loadCounts(); } catch (_) { /* the next event retries */ }
        for (const id of ids) loadAssets(id);
      }, 200);
    }

    function movement(event) {
      for (const id of new Set([event.from, event.to])) {
        const entry = id && cards.get(id);
        if (!entry) continue;
        const key = event.asset ? event.asset.key : '';
        const text = `${fmt.clock(event.time)} ${event.type} ${key}${event.from && event.to && event.from !== event.to ? ` ${event.from} → ${event.to}` : ''}${event.direction ? ` (${event.direction})` : ''}`;
        entry.moves.prepend(el('li', { 'data-type': event.type, 'data-asset': key }, text));
        while (entry.moves.children.length > MOVES) entry.moves.lastElementChild.remove();
      }
      refreshSoon([event.from, event.to]);
    }

    api.get('/v1/zones').then((answer) => {
      if (stopped) return;
      const zones = (answer.zones || []).filter((z) => !only || z.id === only);
      if (!zones.length) {
        grid.append(only ? fmt.empty(`No zone “${only}”.`, 'Pick a zone from the list of all zones.')
          : ctx.site ? fmt.empty('No asset is in any zone of the site yet.', 'A gateway/zone shows here once a gateway of the site reads an asset in it.')
            : fmt.empty('No zones are configured.', 'Add zones: to the configuration (an id, a mode and its readPoints), then reload the gateway; until then assets are only observed.'));
      }
      for (const zone of zones) { grid.append(card(zone)); loadAssets(zone.id); }
      close = api.stream({
        after: answer.lastSeq,
        onEvent: movement,
        onState(s) { state.textContent = { open: '● live', connecting: 'connecting…', retrying: 'reconnecting…', closed: '' }[s] || ''; },
      });
    }).catch((error) => { if (!stopped) grid.append(el('p', { class: 'error', role: 'alert' }, `Zones cannot be read: ${error.message}`)); });

    return () => { stopped = true; clearTimeout(timer); close(); };
  },
};
