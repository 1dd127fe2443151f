// Audit page (#/audit): upload the expected-assets list an asset store exports (CSV or JSON, the
// formats of `tagway audit`), optionally for one zone, and see per zone what was found, what is
// missing, what is misplaced and what is there unexpectedly; download the report as CSV.
//
// The gateway does the comparison (POST /v1/audits); this page only sends the file's bytes as
// they are and shows the answer. The CSV download sends the same file again with format=csv, so
// the spreadsheet is the gateway's own rendering, not a second copy of the report logic here.

const CATEGORIES = [
  { name: 'found', label: 'Found', icon: '✓', hint: 'in the zone the list expects' },
  { name: 'missing', label: 'Missing', icon: '✗', hint: 'not seen within the freshness' },
  { name: 'misplaced', label: 'Misplaced', icon: '⇄', hint: 'seen in another zone' },
  { name: 'unexpected', label: 'Unexpected', icon: '?', hint: 'seen here, not on the list' },
];

// What the file is, for the Content-Type: the gateway refuses other types (415); when neither
// the name nor the browser says, it reads the first character.
function contentType(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.json') || file.type === 'application/json') return 'application/json';
  if (name.endsWith('.csv') || file.type === 'text/csv') return 'text/csv';
  return 'application/octet-stream';
}

function auditPath(zone, format) {
  const query = new URLSearchParams();
  if (zone) query.set('zone', zone);
  if (format) query.set('format', format);
  const text = query.toString();
  return '/v1/audits' + (text ? '?' + text : '');
}

function itemWhere(fmt, category, item) {
  switch (category) {
    case 'found': return item.lastSeen ? `seen ${fmt.time(item.lastSeen)}` : '';
    case 'missing':
      return item.zone && item.lastSeen ? `last seen ${fmt.time(item.lastSeen)} in ${item.zone}` : 'not seen';
    case 'misplaced': return `in ${item.zone ?? '?'} since ${item.since ? fmt.time(item.since) : '?'}`;
    case 'unexpected': return `here since ${item.since ? fmt.time(item.since) : '?'}`;
    case 'expectedElsewhere': return `belongs in ${item.expectedZone ?? '?'}`;
    default: return '';
  }
}

function summary(fmt, report) {
  const { el } = fmt;
  const scope = report.zone ? `zone ${report.zone}` : 'every zone';
  const counts = el('ul', { class: 'audit-counts' },
    ...CATEGORIES.map(c => el('li', { class: `audit-count audit-${c.name}` },
      el('span', { class: 'audit-icon', 'aria-hidden': 'true' }, c.icon), ' ',
      el('strong', { 'data-testid': `audit-count-${c.name}` }, fmt.number(report.totals[c.name])), ' ',
      el('span', {}, c.label.toLowerCase()),
      el('span', { class: 'muted' }, ` (${c.hint})`))));
  return el('section', { class: 'panel', 'data-testid': 'audit-summary', 'aria-labelledby': 'audit-summary-title' },
    el('h2', { id: 'audit-summary-title' }, 'Result'),
    el('p', {}, `${fmt.number(report.totals.expected)} expected in ${scope}, checked ${fmt.time(report.time)} `
      + `against what the gateway saw within ${report.freshness}`
      + (report.lastSeq !== undefined ? ` (log seq ${fmt.number(report.lastSeq)}).` : '.')),
    counts);
}

function zoneTable(fmt, report) {
  const { el } = fmt;
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Zone'), el('th', { scope: 'col', class: 'num' }, 'Expected'),
    ...CATEGORIES.map(c => el('th', { scope: 'col', class: 'num' }, `${c.icon} ${c.label}`)),
    el('th', { scope: 'col', class: 'num' }, '↩ Belongs elsewhere'));
  const rows = report.zones.map(zone => el('tr', { 'data-zone': zone.zone },
    el('th', { scope: 'row' }, zone.zone),
    el('td', { class: 'num' }, fmt.number(zone.totals.expected)),
    ...CATEGORIES.map(c => el('td', { class: 'num' }, fmt.number(zone.totals[c.name]))),
    el('td', { class: 'num' }, fmt.number(zone.totals.expectedElsewhere))));
  return el('section', { class: 'panel wide', 'aria-labelledby': 'audit-zones-title' },
    el('h2', { id: 'audit-zones-title' }, 'Per zone'),
    el('div', { class: 'scroll' }, el('table', { 'data-testid': 'audit-zones' }, el('thead', {}, head), el('tbody', {}, ...rows))));
}

// One table per zone that has anything to show: the assets with their category in words.
function zoneDetails(fmt, report) {
  const { el } = fmt;
  const labels = Object.fromEntries(CATEGORIES.map(c => [c.name, `${c.icon} ${c.label}`]));
  labels.expectedElsewhere = '↩ Belongs elsewhere';
  return report.zones.flatMap(zone => {
    const items = ['found', 'missing', 'misplaced', 'unexpected', 'expectedElsewhere']
      .flatMap(category => zone[category].map(item => ({ category, item })));
    if (items.length === 0) return [];
    return [el('details', { class: 'panel wide', 'data-zone': zone.zone },
      el('summary', {}, `${zone.zone}: ${fmt.number(items.length)} asset${items.length === 1 ? '' : 's'}`),
      el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Result'), el('th', { scope: 'col' }, 'On the list'),
          el('th', { scope: 'col' }, 'Asset key'), el('th', { scope: 'col' }, 'Where, when'))),
        el('tbody', {}, ...items.map(({ category, item }) => el('tr', { 'data-category': category },
          el('td', {}, labels[category]),
          el('td', {}, item.expected ? `${item.expected}${item.line ? ` (line ${item.line})` : ''}` : '—'),
          el('td', { class: 'key' }, item.key ?? '—'),
          el('td', {}, itemWhere(fmt, category, item))))))))];
  });
}

function problems(fmt, answer) {
  const { el } = fmt;
  const body = answer.json ?? {};
  const list = body.problems ?? [];
  return el('section', { class: 'panel', 'data-testid': 'audit-problems', role: 'alert' },
    el('h2', { class: 'error' }, '⚠ The list was not used: nothing was compared'),
    el('p', {}, body.error ?? `The gateway answered ${answer.status}.`),
    list.length ? el('ul', {}, ...list.map(p => el('li', {},
      el('strong', {}, p.line ? `line ${p.line}${p.column ? `, column ${p.column}` : ''}: ` : ''),
      p.message, p.fix ? el('span', { class: 'muted' }, ` (${p.fix})`) : ''))) : '',
    body.more ? el('p', {}, `and ${fmt.number(body.more)} more.`) : '',
    list.length ? '' : (body.detail ? el('p', {}, body.detail) : ''));
}

async function zoneOptions(ctx) {
  try {
    const answer = await ctx.api.get('/v1/zones');
    return answer.zones.filter(z => z.configured).map(z => ({ id: z.id, label: z.name ? `${z.name} (${z.id})` : z.id }));
  } catch {
    return [];
  }
}

export default {
  route: 'audit',
  title: 'Audit',
  nav: true,
  render(main, ctx) {
    const { fmt } = ctx;
    const { el } = fmt;
    let alive = true;
    let lastUpload = null; // { bytes, type, zone, name }

    const file = el('input', { id: 'audit-file', type: 'file', accept: '.csv,.json,text/csv,application/json',
      'data-testid': 'audit-file', required: 'required' });
    const zone = el('select', { id: 'audit-zone', 'data-testid': 'audit-zone' }, el('option', { value: '' }, 'Every zone'));
    const submit = el('button', { type: 'submit', 'data-testid': 'audit-submit' }, 'Run audit');
    const download = el('button', { type: 'button', 'data-testid': 'audit-download', disabled: 'disabled' },
      '⤓ Download report as CSV');
    const state = el('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
    const result = el('div', { class: 'grid' },
      fmt.empty('No audit yet.',
        'Choose the file your asset store exports (CSV with an asset_key or Asset Tag column and a zone or Location '
        + 'column, or the same as JSON), pick a zone if the list covers one room, and press Run audit.'));
    const form = el('form', { class: 'filters' },
      el('div', {}, el('label', { for: 'audit-file' }, 'Expected-assets file (CSV or JSON)'), file),
      el('div', {}, el('label', { for: 'audit-zone' }, 'Zone'), zone),
      submit, download);

    main.replaceChildren(
      el('h1', {}, 'Audit'),
      el('p', { class: 'help' }, 'Compare what your asset store expects in each room with where the gateway sees assets now.'),
      form, state, result);

    zoneOptions(ctx).then(zones => {
      if (!alive) return;
      for (const z of zones) zone.append(el('option', { value: z.id }, z.label));
    });

    form.addEventListener('submit', async event => {
      event.preventDefault();
      const chosen = file.files && file.files[0];
      if (!chosen) {
        state.textContent = 'Choose a file first.';
        file.focus();
        return;
      }
      submit.disabled = true;
      download.disabled = true;
      state.textContent = `Comparing ${chosen.name} (${fmt.bytes(chosen.size)}) with the gateway's assets…`;
      try {
        const upload = { bytes: await chosen.arrayBuffer(), type: contentType(chosen), zone: zone.value, name: chosen.name };
        const answer = await ctx.api.send('POST', auditPath(upload.zone), upload.bytes, upload.type);
        if (!alive) return;
        if (answer.status === 200 && answer.json) {
          lastUpload = upload;
          result.replaceChildren(summary(fmt, answer.json), zoneTable(fmt, answer.json), ...zoneDetails(fmt, answer.json));
          state.textContent = `Audit of ${chosen.name} done.`;
          download.disabled = false;
        } else {
          lastUpload = null;
          result.replaceChildren(problems(fmt, answer));
          state.textContent = `Audit of ${chosen.name} refused (${answer.status}).`;
        }
      } catch (error) {
        if (!alive) return;
        state.textContent = `The audit could not be sent: ${error.message}. Check that the gateway is running.`;
      } finally {
        submit.disabled = false;
      }
    });

    download.addEventListener('click', async () => {
      if (!lastUpload) return;
      download.disabled = true;
      state.textContent = 'Preparing the CSV…';
      try {
        const blob = await ctx.api.download('POST', auditPath(lastUpload.zone, 'csv'), lastUpload.bytes, lastUpload.type);
        if (!alive) return;
        const url = URL.createObjectURL(blob);
        const stem = lastUpload.name.replace(/\.[^.]*$/, '') || 'audit';
        const link = el('a', { href: url, download: `${stem}-audit.csv`, hidden: 'hidden' });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
        state.textContent = `Downloaded ${stem}-audit.csv.`;
      } catch (error) {
        if (alive) state.textContent = `The CSV could not be downloaded: ${error.message}.`;
      } finally {
        if (alive) download.disabled = false;
      }
    });

    return () => { alive = false; };
  },
};
