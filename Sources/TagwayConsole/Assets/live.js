// The Overview's live events panel, a gateway's and a site's: filters by type, zone and asset
// (and gateway, at a site), the last few events of the log, then the SSE stream.
import { feedList } from './feed.js';
import { el, empty } from './format.js';
import { gatewayOf } from './site.js';

/** Events of the log shown when the page opens, before the live ones. */
const RECENT = 20;
const STATES = { open: '● live', connecting: 'connecting…', retrying: 'reconnecting…', closed: 'stopped' };
const TYPES = ['arrived', 'moved', 'departed', 'passed', 'observed', 'alert', 'audit', 'unknown'];

function select(id, all) {
  return el('select', { id: `feed-${id}`, 'data-testid': `feed-filter-${id}` }, el('option', { value: '' }, all));
}

/** { node, close() }; onAlert is called for each live alert. */
export function livePanel(api, { site, onAlert, idle }) {
  const feed = feedList('feed', { site });
  const type = select('type', 'All types');
  type.append(...TYPES.map((t) => el('option', { value: t }, t)));
  const zone = select('zone', 'All zones');
  const gateway = site ? select('gateway', 'All gateways') : null;
  const asset = el('input', { id: 'feed-asset', type: 'search', 'data-testid': 'feed-filter-asset', placeholder: 'part of a key' });
  const state = el('span', { class: 'muted', role: 'status' }, 'connecting…');
  const none = empty('No events since this page opened.', idle);
  const apply = () => {
    const t = type.value; const z = zone.value; const g = gateway ? gateway.value : ''; const a = asset.value.trim().toLowerCase();
    feed.setFilter((e) => (!t || e.type === t) && (!z || e.from === z || e.to === z)
      && (!g || gatewayOf(e.from) === g || gatewayOf(e.to) === g)
      && (!a || (e.asset && e.asset.key.toLowerCase().includes(a))));
  };
  for (const input of [type, zone, gateway]) if (input) input.addEventListener('change', apply);
  asset.addEventListener('input', apply);
  const node = el('section', { class: 'panel wide', 'aria-labelledby': 'h-feed' },
    el('h2', { id: 'h-feed' }, 'Live events ', state),
    el('div', { class: 'filters' },
      el('div', {}, el('label', { for: 'feed-type' }, 'Type'), type),
      gateway ? el('div', {}, el('label', { for: 'feed-gateway' }, 'Gateway'), gateway) : null,
      el('div', {}, el('label', { for: 'feed-zone' }, 'Zone'), zone),
      el('div', {}, el('label', { for: 'feed-asset' }, 'Asset'), asset)),
    none, feed.node);

  // At a site, gateways and zones appear as their first events come (a site knows no configuration).
  const known = new Set();
  const offer = (input, value) => {
    if (!input || !value || known.has(`${input.id} ${value}`)) return;
    known.add(`${input.id} ${value}`);
    input.append(el('option', { value }, value));
  };
  let stopped = false;
  let close = () => {};
  // The feed starts with the last few events of the log, then follows it live.
  api.get('/v1/zones').then((answer) => {
    if (stopped) return;
    for (const z of answer.zones || []) {
      known.add(`${zone.id} ${z.id}`);
      zone.append(el('option', { value: z.id }, z.name ? `${z.name} (${z.id})` : z.id));
    }
    for (const z of answer.zones || []) offer(gateway, gatewayOf(z.id));
    close = api.stream({
      after: Math.max(0, Number(answer.lastSeq || 0) - RECENT),
      onEvent(event) {
        none.hidden = true;
        if (site) for (const place of [event.from, event.to]) { offer(zone, place); offer(gateway, gatewayOf(place)); }
        feed.add(event);
        if (event.type === 'alert' && onAlert) onAlert();
      },
      onState(s) { state.textContent = STATES[s] || s; },
    });
  }).catch((error) => { state.textContent = `not available: ${error.message}`; });
  return { node, close: () => { stopped = true; close(); } };
}

export default livePanel;
