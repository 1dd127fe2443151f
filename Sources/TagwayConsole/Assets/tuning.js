// Tuning: which read point hears a tag, how strongly, and why the engine put its asset where it
// is. Polls /v1/tuning once a second while the page is open (the gateway computes the evidence
// only when asked).

const POLL_MS = 1000;
const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

/** RSSI in dBm as 0…100 % of a bar from -90 (nothing) to -30 (next to the antenna). */
function rssiPercent(value) {
  if (value === null || value === undefined) return 0;
  return Math.max(0, Math.min(100, Math.round(((Number(value) + 90) / 60) * 100)));
}

export function rssiBar(fmt, value) {
  const { el } = fmt;
  const fill = el('span', {});
  fill.style.width = `${rssiPercent(value)}%`;
  return [el('span', { class: 'bar', 'aria-hidden': 'true' }, fill), fmt.rssi(value)];
}

export default {
  route: 'tuning', title: 'Tuning', nav: true,
  render(main, ctx) {
    const { fmt, api } = ctx;
    const { el } = fmt;
    let stopped = false;
    let timer = null;
    const tag = el('input', { id: 'tuning-tag', type: 'search', 'data-testid': 'tuning-tag', list: 'tuning-assets',
      placeholder: 'asset key or tag hex', autocomplete: 'off', size: 40 });
    const assetsList = el('datalist', { id: 'tuning-assets' });
    const readPoint = el('select', { id: 'tuning-readpoint', 'data-testid': 'tuning-readpoint' }, el('option', { value: '' }, '– none –'));
    const strongest = el('input', { id: 'tuning-strongest', type: 'checkbox', 'data-testid': 'tuning-strongest' });
    const stateLine = el('p', { class: 'muted', role: 'status' });
    const settingsBox = el('div', {});
    const tagBox = el('section', { class: 'panel wide', 'aria-labelledby': 'h-tag' });
    const pointBox = el('section', { class: 'panel wide', 'aria-labelledby': 'h-point' });
    main.append(el('h1', {}, 'Tuning'),
      el('p', { class: 'help' }, 'Pick a tag to see, per read point, how often and how strongly it is heard and why its asset is where it is. ',
        'Or pick a read point to see every tag it hears. Values update every second over the engine\'s debounce window.'),
      el('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); restart(); } },
        el('div', {}, el('label', { for: 'tuning-tag' }, 'Tag or asset'), tag, assetsList),
        el('div', {}, el('label', { for: 'tuning-readpoint' }, 'Read point'), readPoint),
        el('div', {}, el('label', { for: 'tuning-strongest' }, el('span', {}, 'Strongest tag near this read point')), strongest),
        el('button', { type: 'submit' }, 'Show')),
      stateLine, settingsBox, el('div', { class: 'grid' }, tagBox, pointBox));

    /** The tag view's query (a tag, an asset, or the strongest tag near the read point) and the read point view's. */
    function queries() {
      const t = tag.value.trim();
      const rp = readPoint.value;
      let tagQuery = null;
      if (t) tagQuery = HEX.test(t) ? `tag=${t}` : `asset=${encodeURIComponent(t)}`;
      else if (rp && strongest.checked) tagQuery = `readPoint=${encodeURIComponent(rp)}&strongest=true`;
      return { tagQuery, pointQuery: rp ? `readPoint=${encodeURIComponent(rp)}` : null };
    }

    function showSettings(s) {
      if (!s) { settingsBox.replaceChildren(); return; }
      fmt.fill(settingsBox, el('p', { class: 'muted', 'data-testid': 'tuning-settings' },
        `Engine settings: a read point must beat the anchor by ${s.threshold} dB, held for ${fmt.number(s.holdoffMs)} ms; `,
        `slope ${s.slopePerSecond} dB/s, floor ${s.floor} dB; ${s.moveAfterReads} reads to move; departs after ${fmt.number(s.departAfterMs)} ms of silence.`));
    }

    function showTag(answer) {
      const view = answer.tag;
      if (!view) {
        fmt.fill(tagBox, el('h2', { id: 'h-tag' }, 'Tag'), fmt.empty(answer.note || 'No tag picked.',
          'Type an asset key or the tag\'s hex, or pick a read point and tick “strongest tag”. A tag must be read now to show here.'));
        return;
      }
      const rows = (view.readPoints || []).map((p) => el('tr', { 'data-testid': `tuning-row-${p.readPoint}`, 'data-rssi': p.meanRSSI,
        class: p.anchor ? 'anchor' : null },
      el('th', { scope: 'row' }, p.readPoint, p.anchor ? el('div', {}, fmt.badge('info', 'anchor')) : null),
      el('td', {}, p.zone || '–', p.side ? el('div', { class: 'muted' }, p.side) : null),
      el('td', { class: 'num' }, fmt.number(p.readsPerSecond)),
      el('td', { class: 'rssi' }, rssiBar(fmt, p.meanRSSI)),
      el('td', { class: 'num' }, p.requiredMargin === null || p.requiredMargin === undefined ? '–' : `${Number(p.requiredMargin).toFixed(1)} dB`),
      el('td', {}, p.wins === true ? fmt.badge('ok', 'wins') : p.wins === false ? fmt.badge('idle', 'does not win') : '–'),
      el('td', { class: 'why' }, p.why || '')));
      fmt.fill(tagBox, el('h2', { id: 'h-tag' }, 'Tag ', el('span', { class: 'key' }, view.tag)),
        el('dl', { class: 'facts' },
          el('dt', {}, 'Asset'), el('dd', {}, view.asset ? el('a', { class: 'key', href: `#/assets/${encodeURIComponent(view.asset.key)}` }, view.asset.key) : 'not identified'),
          el('dt', {}, 'Zone now'), el('dd', {}, view.zone || 'none', view.anchor ? ` (anchor ${view.anchor})` : ''),
          el('dt', {}, 'Last read'), el('dd', {}, `${fmt.number(view.silentMs)} ms ago`)),
        rows.length ? el('div', { class: 'scroll' }, el('table', { 'data-testid': 'tuning-table' },
          el('thead', {}, el('tr', {}, ['Read point', 'Zone / side', 'Reads/s', 'Mean RSSI', 'Required margin', 'Hand-over', 'Why']
            .map((h, i) => el('th', { scope: 'col', class: i === 2 || i === 4 ? 'num' : null }, h)))),
          el('tbody', {}, rows)))
          : fmt.empty('No read point heard this tag in the window.', 'Bring the tag closer to an antenna, or check that its reader is connected (Overview).'));
    }

    function showPoint(answer) {
      const view = answer.readPoint;
      if (!view) { fmt.fill(pointBox, el('h2', { id: 'h-point' }, 'Read point'), el('p', { class: 'muted' }, 'Pick a read point to list every tag it hears.')); return; }
      const picked = tag.value.trim();
      const rows = (view.tags || []).map((t) => el('tr', { 'data-testid': `tuning-tag-row-${t.tag}`, 'data-rssi': t.meanRSSI,
        class: `clickable${t.asset && t.asset.key === picked || t.tag === picked ? ' picked' : ''}`, tabindex: 0,
        onclick: () => pick(t), onkeydown: (e) => { if (e.key === 'Enter') pick(t); } },
      el('th', { scope: 'row', class: 'key' }, t.asset ? t.asset.key : t.tag),
      el('td', {}, t.zone || '–', t.anchor ? ' (anchor)' : ''),
      el('td', { class: 'num' }, fmt.number(t.readsPerSecond)),
      el('td', { class: 'rssi' }, rssiBar(fmt, t.meanRSSI)),
      el('td', { class: 'num' }, `${fmt.number(t.lastSeenMsAgo)} ms`)));
      fmt.fill(pointBox, el('h2', { id: 'h-point' }, `Read point ${view.readPoint}`, view.zone ? ` in ${view.zone}` : '', view.side ? ` (${view.side})` : ''),
        rows.length ? el('div', { class: 'scroll' }, el('table', { 'data-testid': 'tuning-readpoint-table' },
          el('thead', {}, el('tr', {}, ['Tag', 'Zone', 'Reads/s', 'Mean RSSI', 'Last read'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, rows)))
          : fmt.empty('This read point hears no tag now.', 'Hold a tag in front of its antenna; if nothing shows, check the reader on the Overview.'),
        view.truncated ? el('p', { class: 'muted' }, 'Only the 200 strongest tags are listed.') : null);
    }

    function pick(t) {
      tag.value = t.asset ? t.asset.key : t.tag;
      restart();
    }

    function failure(answer) {
      const why = answer.json && answer.json.error ? `${answer.json.error}${answer.json.detail ? ` (${answer.json.detail})` : ''}` : `HTTP ${answer.status}`;
      return `The gateway cannot show this: ${why}.`;
    }

    async function poll() {
      timer = null;
      const { tagQuery, pointQuery } = queries();
      if (!tagQuery && !pointQuery) {
        showSettings(null);
        showTag({ tag: null, note: 'No tag picked.' });
        showPoint({ readPoint: null });
        stateLine.textContent = '';
        return;
      }
      const [tagAnswer, pointAnswer] = await Promise.all([tagQuery, pointQuery].map((q) => (q ? api.send('GET', `/v1/tuning?${q}`) : null)));
      if (stopped) return;
      const problems = [];
      let time = null;
      if (tagAnswer) {
        if (tagAnswer.status === 200 && tagAnswer.json) { showSettings(tagAnswer.json.settings); showTag(tagAnswer.json); time = tagAnswer.json.time; }
        else problems.push(failure(tagAnswer));
      } else {
        showTag({ tag: null, note: 'No tag picked.' });
      }
      if (pointAnswer) {
        if (pointAnswer.status === 200 && pointAnswer.json) { showSettings(pointAnswer.json.settings); showPoint(pointAnswer.json); time = time || pointAnswer.json.time; }
        else problems.push(failure(pointAnswer));
      } else {
        showPoint({ readPoint: null });
      }
      stateLine.textContent = problems.length ? problems.join(' ') : `Updated ${fmt.clock(time)}.`;
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    }

    function tick() { poll().catch((error) => { stateLine.textContent = `Tuning not available: ${error.message}`; if (!stopped) timer = setTimeout(tick, POLL_MS); }); }

    function restart() {
      clearTimeout(timer);
      tick();
    }

    readPoint.addEventListener('change', restart);
    strongest.addEventListener('change', restart);
    tag.addEventListener('change', restart);

    api.get('/v1/zones').then((answer) => {
      const points = [...new Set((answer.zones || []).flatMap((z) => z.readPoints || []))].sort();
      for (const p of points) readPoint.append(el('option', { value: p }, p));
    }).catch(() => {});
    api.get('/v1/assets?limit=200').then((answer) => {
      for (const a of answer.assets || []) assetsList.append(el('option', { value: a.key }));
    }).catch(() => {});
    tick();
    return () => { stopped = true; clearTimeout(timer); };
  },
};
