// The Overview's alerts of the last 24 hours (a gateway's rules, or a site's rules at a site).
import { el, empty, fill, time } from './format.js';

function alertItem(event) {
  const key = event.asset ? event.asset.key : '';
  return el('li', { 'data-seq': event.seq },
    el('span', { class: 'when' }, time(event.time)), ' ',
    el('span', { class: 'type type-alert' }, 'alert'), ' ',
    el('a', { class: 'key', href: `#/assets/${encodeURIComponent(key)}` }, key), ' ',
    el('span', {}, [event.rule ? `rule ${event.rule}` : '', event.reason || (event.to || event.from ? `in ${event.to || event.from}` : '')]
      .filter(Boolean).join(': ')));
}

/** { node, load(), close() }: load() reads them again (on open, each minute, on a live alert). */
export function alertsPanel(api, help) {
  const list = el('ol', { class: 'feed', 'data-testid': 'alerts-list', reversed: true });
  const box = el('div', {}, el('p', { class: 'loading' }, 'Loading alerts…'));
  const node = el('section', { class: 'panel', 'aria-labelledby': 'h-alerts' }, el('h2', { id: 'h-alerts' }, 'Alerts, last 24 hours'), box);
  let stopped = false;
  async function load() {
    const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
    try {
      const events = await api.get(`/v1/events?type=alert&since=${encodeURIComponent(since)}&limit=500`);
      if (stopped) return;
      list.replaceChildren(...events.slice().reverse().map(alertItem));
      fill(box, events.length ? list : empty('No alerts in the last 24 hours.', help));
    } catch (error) {
      if (!stopped) fill(box, el('p', { class: 'error' }, `Alerts cannot be read: ${error.message}`));
    }
  }
  load();
  const timer = setInterval(load, 60000);
  return { node, load, close: () => { stopped = true; clearInterval(timer); } };
}

export default alertsPanel;
