// The console against a site (`tagway site`) rather than a gateway: the site's /v1/status says
// `"kind": "site"`. A site's places are `gateway/zone`, its events carry both gateways of a
// handover in from/to, and it has no readers, tuning, configuration API or audits, so those pages
// explain where to find them instead of failing on routes the site does not serve.
import { el, empty } from './format.js';

/** True when /v1/status comes from a site process. */
export function isSite(status) {
  return Boolean(status && status.kind === 'site');
}

/** The gateway of a site place (`dock-a/z1` → `dock-a`); '' for a place without one. */
export function gatewayOf(place) {
  const text = place || '';
  const slash = text.indexOf('/');
  return slash > 0 ? text.slice(0, slash) : '';
}

/** The zone of a site place (`dock-a/z1` → `z1`). */
export function zoneOf(place) {
  const text = place || '';
  const slash = text.indexOf('/');
  return slash > 0 ? text.slice(slash + 1) : text;
}

/** The gateways an event involves, in order (a cross-gateway `moved` has two). */
export function eventGateways(event) {
  const out = [];
  for (const place of [event.from, event.to]) {
    const gateway = gatewayOf(place);
    if (gateway && !out.includes(gateway)) out.push(gateway);
  }
  return out;
}

/**
 * A page the site has no counterpart for, reached by its old address (a bookmark, a link from a
 * gateway's console): it says why and where to go, and is left out of the site's navigation.
 */
export function gatewayOnly(route, title, why) {
  return {
    route, title, nav: false, site: true,
    render(main) {
      main.append(el('h1', {}, title),
        el('div', { 'data-testid': 'gateway-only' }, empty(`${title} is a page of a gateway's console, not of a site.`,
          `${why} Open the console of the gateway concerned (its api.listen, /console/); the site's pages are Overview and Zones.`)),
        el('a', { href: '#/overview' }, 'Site overview'));
      return () => {};
    },
  };
}

export default { isSite, gatewayOf, zoneOf, eventGateways, gatewayOnly };
