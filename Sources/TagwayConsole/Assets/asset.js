// One asset: where it is now and its history from the log, with new events live. At a site: its
// gateway, and each event's gateways (a handover's two) instead of read point and RSSI.
import { eventGateways } from './site.js';

export default {
  route: 'assets', title: 'Asset', nav: false,
  render(main, ctx) {
    const { fmt, api } = ctx;
    const { el } = fmt;
    const key = ctx.params.join('/');
    const site = ctx.site;
    const columns = site ? ['Time', 'Event', 'From', 'To', 'Gateways', 'Read point', 'Detail']
      : ['Time', 'Event', 'From', 'To', 'Read point', 'RSSI', 'Detail'];
    let stopped = false;
    let close = () => {};
    const now = el('section', { class: 'panel', 'aria-labelledby': 'h-now' }, el('h2', { id: 'h-now' }, 'Where it is now'));
    const body = el('tbody', {});
    const history = el('section', { class: 'panel wide', 'aria-labelledby': 'h-history' }, el('h2', { id: 'h-history' }, 'History (newest first)'),
      el('div', { class: 'scroll' }, el('table', { 'data-testid': 'asset-history' },
        el('thead', {}, el('tr', {}, columns.map((h) => el('th', { scope: 'col' }, h)))),
        body)));
    main.append(el('h1', {}, 'Asset ', el('span', { class: 'key' }, key)), el('div', { class: 'grid' }, now, history));

    if (!key) {
      fmt.fill(main, el('h1', {}, 'Asset'), fmt.empty('No asset picked.', 'Open a zone and click an asset, or click an asset in the live feed.'));
      return () => {};
    }

    function row(e) {
      const gateways = site ? eventGateways(e) : [];
      return el('tr', { 'data-seq': e.seq, 'data-type': e.type, 'data-gateways': site ? gateways.join(' ') : null },
        el('td', {}, fmt.time(e.time)), el('td', {}, el('span', { class: `type type-${e.type}` }, e.type)),
        el('td', {}, e.from || ''), el('td', {}, e.to || ''),
        site ? el('td', {}, gateways.join(' → ')) : null, el('td', {}, e.readPoint || ''),
        site ? null : el('td', { class: 'num' }, e.rssi !== undefined ? `${e.rssi} dBm` : ''),
        el('td', {}, [e.direction ? `direction ${e.direction}` : '', e.rule ? `rule ${e.rule}` : '',
          site && e.reason ? `site event ${e.reason.replace(/^from /, 'from gateway events ')}` : e.reason || ''].filter(Boolean).join('; ')));
    }

    function siteFacts(r) {
      return [el('dt', {}, 'Zone'), el('dd', {}, el('a', { href: `#/zones/${encodeURIComponent(r.zone)}` }, r.zone)),
        el('dt', {}, 'Gateway'), el('dd', {}, r.gateway),
        el('dt', {}, 'Since'), el('dd', {}, fmt.time(r.since)),
        el('dt', {}, 'Last seen'), el('dd', {}, `${fmt.time(r.lastSeen)} (${fmt.ago(r.lastSeen)})`),
        r.departedAt ? [el('dt', {}, 'Departed'), el('dd', {}, `${fmt.time(r.departedAt)}: waiting for an arrival at another gateway`)] : null,
        el('dt', {}, 'Last gateway event'), el('dd', { class: 'key' }, r.lastEventId),
        el('dt', {}, 'Scheme'), el('dd', {}, r.scheme)];
    }

    function showNow(answer) {
      const records = answer.assets || [];
      fmt.fill(now, el('h2', { id: 'h-now' }, 'Where it is now'), records.length ? records.map((r) => el('dl', { class: 'facts' }, site ? siteFacts(r) : [
        el('dt', {}, 'Zone'), el('dd', {}, el('a', { href: `#/zones/${encodeURIComponent(r.zone)}` }, r.zone), r.doorSide ? ` (${r.doorSide} side)` : ''),
        el('dt', {}, 'Since'), el('dd', {}, fmt.time(r.since)),
        el('dt', {}, 'Last seen'), el('dd', {}, `${fmt.time(r.lastSeen)} (${fmt.ago(r.lastSeen)})`),
        el('dt', {}, 'Read point'), el('dd', {}, r.readPoint, r.reader ? ` (reader ${r.reader})` : ''),
        el('dt', {}, 'Peak RSSI'), el('dd', {}, r.rssi !== undefined ? `${r.rssi} dBm` : '–'),
        el('dt', {}, 'Reads'), el('dd', {}, fmt.number(r.reads)),
        el('dt', {}, 'Scheme'), el('dd', {}, r.scheme)]))
        : fmt.empty('Not present in any zone now.', 'Its last events are below; it shows here again when a reader reads it.'));
    }

    async function load() {
      try {
        const answer = await api.get(`/v1/assets/${encodeURIComponent(key)}?events=100`);
        if (stopped) return;
        showNow(answer);
        body.replaceChildren(...(answer.events || []).map(row));
        close = api.stream({
          after: answer.lastSeq,
          onEvent(e) {
            if (!e.asset || e.asset.key !== key) return;
            body.prepend(row(e));
            api.get(`/v1/assets/${encodeURIComponent(key)}?events=0`).then((a) => { if (!stopped) showNow(a); }).catch(() => {});
          },
        });
      } catch (error) {
        if (stopped) return;
        if (error.status === 404) {
          fmt.fill(main, el('h1', {}, 'Asset ', el('span', { class: 'key' }, key)),
            fmt.empty(`The ${site ? 'site' : 'gateway'} does not know this asset: it is in no zone and the log has no event of it.`,
              'Check the key (as the events show it, e.g. urn:epc:id:giai:…), or put the tag in front of a reader.'));
        } else {
          now.append(el('p', { class: 'error', role: 'alert' }, `Cannot read the asset: ${error.message}`));
        }
      }
    }
    load();
    return () => { stopped = true; close(); };
  },
};
