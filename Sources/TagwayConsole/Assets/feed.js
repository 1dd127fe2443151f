// The live feed of events (Overview, Zones): the newest first, each item with the data-* a
// filter and a test look at, capped so a busy gateway does not grow the page without end.
import { el, clock } from './format.js';
import { eventGateways } from './site.js';

const CAP = 200;

export function eventZone(event) {
  return event.to || event.from || '';
}

/** One line for an event: when, type, asset, where, how (at a site: which gateways, not the causes' ids). */
export function eventItem(event, site) {
  const where = event.from && event.to && event.from !== event.to ? `${event.from} → ${event.to}`
    : (event.to || event.from || '');
  const how = [event.direction ? `direction ${event.direction}` : null, event.readPoint ? `at ${event.readPoint}` : null,
    event.rssi !== undefined ? `${event.rssi} dBm` : null, event.rule ? `rule ${event.rule}` : null, site ? null : event.reason || null]
    .filter(Boolean).join(', ');
  const key = event.asset ? event.asset.key : '';
  const gateways = site ? eventGateways(event) : [];
  return el('li', { 'data-testid': 'feed-item', 'data-type': event.type, 'data-zone': eventZone(event), 'data-asset': key,
    'data-from': event.from || '', 'data-to': event.to || '', 'data-seq': event.seq,
    'data-gateways': site ? gateways.join(' ') : null, title: site && event.reason ? `site event ${event.reason}` : null },
  el('span', { class: 'when' }, clock(event.time)),
  el('span', { class: `type type-${event.type}` }, event.type),
  key ? el('a', { class: 'key', href: `#/assets/${encodeURIComponent(key)}` }, key) : null,
  where ? el('span', {}, where) : null,
  how ? el('span', { class: 'muted' }, how) : null,
  gateways.length > 1 ? el('span', { class: 'badge badge-info' }, `handover ${gateways.join(' → ')}`) : null);
}

/** A list that keeps the newest CAP items and hides those the filter refuses. */
export function feedList(testid, options) {
  const site = Boolean(options && options.site);
  const list = el('ol', { class: 'feed', 'data-testid': testid || 'feed', 'aria-live': 'off', reversed: true });
  let filter = () => true;
  return {
    node: list,
    add(event) {
      const item = eventItem(event, site);
      item.hidden = !filter(event);
      item.eventData = event;
      list.prepend(item);
      while (list.children.length > CAP) list.lastElementChild.remove();
    },
    setFilter(fn) {
      filter = fn;
      for (const item of list.children) item.hidden = !filter(item.eventData);
    },
    get size() { return list.children.length; },
  };
}
