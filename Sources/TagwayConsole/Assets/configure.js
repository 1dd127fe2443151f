// The Configure page: the configuration in force (read only), forms for zones and rules that
// rewrite the `zones:` and `rules:` blocks of the file's text, the raw YAML for everything else,
// Check (the gateway's own loader, errors with their lines) and Apply (written atomically with a
// numbered backup, reloaded, the changes listed). Nothing is applied when the check fails.
import {
  MATCH_KEYS, lineRange, replaceBlock, rulesBlock, splitList, zonesBlock,
} from './yaml-sections.js';

const TRIGGERS = ['passed-in', 'passed-out'];

/** The page's own styles (the editor, the error list), linked once: no inline styles (CSP). */
function linkStyles() {
  if (document.querySelector('link[data-page="configure"]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = 'configure.css';
  link.dataset.page = 'configure';
  document.head.append(link);
}

export default {
  route: 'configure',
  title: 'Configure',
  nav: true,
  render(main, ctx) {
    const el = ctx.fmt.el;
    linkStyles();
    let state = null; // the last GET /v1/config
    let alive = true;

    const status = el('p', { class: 'config-status', role: 'status', 'aria-live': 'polite' });
    const errors = el('ul', { class: 'config-errors', 'data-testid': 'config-errors', 'aria-label': 'Errors' });
    const changes = el('ul', { class: 'config-changes', 'data-testid': 'config-changes', 'aria-label': 'What changed' });
    const textarea = el('textarea', {
      id: 'config-yaml', 'data-testid': 'config-yaml', rows: '24', spellcheck: 'false', wrap: 'off',
      autocomplete: 'off', autocapitalize: 'off', class: 'config-yaml',
    });
    const check = el('button', { type: 'button', 'data-testid': 'config-check' }, 'Check');
    const apply = el('button', { type: 'button', 'data-testid': 'config-apply', class: 'primary' }, 'Apply');
    const reload = el('button', { type: 'button', class: 'quiet' }, 'Discard edits and read the file again');
    const running = el('section', { 'aria-labelledby': 'config-running-h', class: 'panel wide' });
    const zoneRows = el('tbody');
    const ruleRows = el('tbody');

    function say(text, kind) {
      status.textContent = text;
      status.dataset.kind = kind || 'info';
    }

    /** Errors (or, after a passed check, warnings) as buttons that move the caret to their line. */
    function showErrors(list, warnings) {
      errors.setAttribute('aria-label', warnings ? 'Warnings' : 'Errors');
      errors.replaceChildren(...list.map((e) => {
        const where = e.line > 0 ? `line ${e.line}` : 'file';
        const item = el('button', {
          type: 'button', class: warnings ? 'config-error config-warning' : 'config-error',
          'data-testid': warnings ? 'config-warning' : 'config-error',
          'data-line': String(e.line), 'data-key': e.key || '',
        }, el('span', { class: 'config-error-where' }, (warnings ? '⚠ ' : '✖ ') + where + (e.key ? ` · ${e.key}` : '')), ' ',
          e.message + (e.expected ? `; expected ${e.expected}` : ''));
        item.addEventListener('click', () => goToLine(e.line));
        return el('li', {}, item);
      }));
    }

    function goToLine(line) {
      const range = lineRange(textarea.value, line);
      textarea.focus();
      textarea.setSelectionRange(range.start, range.end);
      const height = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
      textarea.scrollTop = Math.max(0, (Math.max(line, 1) - 3) * height);
    }

    const changesHeading = el('h3', { hidden: true }, 'Changes applied');

    function showChanges(answer) {
      changesHeading.hidden = false;
      const items = (answer.changes.length ? answer.changes : ['no changes (the file was written again as it was)'])
        .map((text) => el('li', {}, text));
      if (answer.backup) items.push(el('li', { class: 'config-note' }, `previous version kept as ${answer.backup}`));
      if (answer.restartNeeded.length) {
        items.push(el('li', { class: 'config-note' },
          `⚠ takes effect after a restart of the gateway: ${answer.restartNeeded.join(', ')}`));
      }
      changes.replaceChildren(...items);
    }

    // ----- the running configuration, read only -----
    function list(values) { return values && values.length ? values.join(', ') : '—'; }

    function renderRunning(view) {
      const r = view.running;
      const zoneTable = el('table', { },
        el('caption', {}, `Zones (${ctx.fmt.number(r.zones.length)})`),
        el('thead', {}, el('tr', {}, ...['Zone', 'Name', 'Mode', 'Read points', 'Door inside', 'Door outside']
          .map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...r.zones.map((z) => el('tr', {},
          el('th', { scope: 'row' }, z.id), el('td', {}, z.name || '—'), el('td', {}, z.mode),
          el('td', {}, list(z.readPoints)), el('td', {}, list(z.door && z.door.inside)),
          el('td', {}, list(z.door && z.door.outside))))));
      const ruleTable = el('table', { },
        el('caption', {}, `Rules (${ctx.fmt.number(r.rules.length)})`),
        el('thead', {}, el('tr', {}, ...['Rule', 'Match', 'Allowed zones', 'Forbidden zones', 'Alert on']
          .map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...r.rules.map((rule) => el('tr', {},
          el('th', { scope: 'row' }, rule.id),
          el('td', {}, Object.entries(rule.match).map(([k, v]) => `${k} ${v}`).join('; ')),
          el('td', {}, list(rule.allowedZones)), el('td', {}, list(rule.forbiddenZones)),
          el('td', {}, list(rule.alertOn))))));
      const m = r.movement;
      const settings = el('dl', { class: 'facts' },
        ...[['Gateway', r.gateway], ['Read points', list(r.readPoints)],
          ['Threshold', `${m.threshold} dB`], ['Hold-off', `${ctx.fmt.number(m.holdoffMs)} ms`],
          ['Slope', `${m.slopePerSecond} dB/s`], ['Floor', `${m.floor} dB`],
          ['Move after', `${ctx.fmt.number(m.moveAfterReads)} reads`],
          ['Depart after', `${ctx.fmt.number(m.departAfterMs)} ms`],
          ['File', view.file], ['Backups', list(view.backups)]]
          .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]));
      running.replaceChildren(el('h2', { id: 'config-running-h' }, 'Running configuration'), settings,
        r.zones.length ? el('div', { class: 'scroll' }, zoneTable)
          : el('p', { class: 'help' }, 'No zones: each read point is a zone of its own. Add zones in the form below.'),
        r.rules.length ? el('div', { class: 'scroll' }, ruleTable)
          : el('p', { class: 'help' }, 'No rules: no asset raises an alert. Add a rule in the form below.'));
    }

    // ----- forms: zones and rules, written into the YAML text -----
    function field(value, label, attrs) {
      const input = el('input', Object.assign({ type: 'text', 'aria-label': label, autocomplete: 'off' }, attrs || {}));
      input.value = value || '';
      return input;
    }

    function removeButton(row, label) {
      const b = el('button', { type: 'button', class: 'quiet', 'aria-label': label }, 'Remove');
      b.addEventListener('click', () => row.remove());
      return b;
    }

    function addZoneRow(z) {
      const n = zoneRows.children.length + 1;
      const mode = el('select', { 'aria-label': `Zone ${n} mode`, 'data-field': 'mode' },
        el('option', { value: 'presence' }, 'presence'), el('option', { value: 'scan' }, 'scan (barcode station)'));
      mode.value = z.mode || 'presence';
      const row = el('tr', { 'data-aliases': (z.aliases || []).join(' ') });
      row.append(
        el('td', {}, field(z.id, `Zone ${n} id`, { 'data-field': 'id', required: '' })),
        el('td', {}, field(z.name, `Zone ${n} name`, { 'data-field': 'name' })),
        el('td', {}, mode),
        el('td', {}, field(list0(z.readPoints), `Zone ${n} read points`, { 'data-field': 'readPoints', list: 'config-read-points' })),
        el('td', {}, field(list0(z.door && z.door.inside), `Zone ${n} door inside`, { 'data-field': 'inside', list: 'config-read-points' })),
        el('td', {}, field(list0(z.door && z.door.outside), `Zone ${n} door outside`, { 'data-field': 'outside', list: 'config-read-points' })),
        el('td', {}, removeButton(row, `Remove zone ${n}`)));
      zoneRows.append(row);
    }

    function addRuleRow(rule) {
      const n = ruleRows.children.length + 1;
      const row = el('tr');
      const match = rule.match || {};
      const alert = el('fieldset', { class: 'config-alerts' }, el('legend', { class: 'visually-hidden' }, `Rule ${n} alert on`),
        ...TRIGGERS.map((t) => {
          const box = el('input', { type: 'checkbox', 'data-field': t });
          box.checked = (rule.alertOn || []).includes(t);
          return el('label', {}, box, ' ' + t);
        }));
      row.append(
        el('td', {}, field(rule.id, `Rule ${n} id`, { 'data-field': 'id' })),
        el('td', {}, ...MATCH_KEYS.map((k) => field(match[k], `Rule ${n} match ${k}`, { 'data-field': k, placeholder: k }))),
        el('td', {}, field(list0(rule.allowedZones), `Rule ${n} allowed zones`, { 'data-field': 'allowedZones', list: 'config-zone-ids' })),
        el('td', {}, field(list0(rule.forbiddenZones), `Rule ${n} forbidden zones`, { 'data-field': 'forbiddenZones', list: 'config-zone-ids' })),
        el('td', {}, alert),
        el('td', {}, removeButton(row, `Remove rule ${n}`)));
      ruleRows.append(row);
    }

    function list0(values) { return values ? values.join(', ') : ''; }

    function value(row, name) { return row.querySelector(`[data-field="${name}"]`).value.trim(); }

    function zonesFromForm() {
      return [...zoneRows.children].map((row) => ({
        id: value(row, 'id'), name: value(row, 'name'), mode: value(row, 'mode'),
        aliases: splitList(row.dataset.aliases), readPoints: splitList(value(row, 'readPoints')),
        door: { inside: splitList(value(row, 'inside')), outside: splitList(value(row, 'outside')) },
      }));
    }

    function rulesFromForm() {
      return [...ruleRows.children].map((row) => ({
        id: value(row, 'id'),
        match: Object.fromEntries(MATCH_KEYS.map((k) => [k, value(row, k)]).filter(([, v]) => v)),
        allowedZones: splitList(value(row, 'allowedZones')), forbiddenZones: splitList(value(row, 'forbiddenZones')),
        alertOn: TRIGGERS.filter((t) => row.querySelector(`[data-field="${t}"]`).checked),
      }));
    }

    function writeBlock(key, block) {
      textarea.value = replaceBlock(textarea.value, key, block);
      const found = textarea.value.split('\n').findIndex((line) => line.startsWith(key + ':'));
      say(`The ${key}: section of the YAML below was rewritten from the form. Check, then Apply.`);
      if (found >= 0) goToLine(found + 1);
    }

    function fillForms(view) {
      zoneRows.replaceChildren();
      ruleRows.replaceChildren();
      view.running.zones.forEach(addZoneRow);
      view.running.rules.forEach(addRuleRow);
      points.replaceChildren(...view.running.readPoints.map((p) => el('option', { value: p })));
      zoneIds.replaceChildren(...view.running.zones.map((z) => el('option', { value: z.id })));
    }

    const points = el('datalist', { id: 'config-read-points' });
    const zoneIds = el('datalist', { id: 'config-zone-ids' });
    const addZone = el('button', { type: 'button' }, 'Add a zone');
    const zonesToYAML = el('button', { type: 'button', 'data-testid': 'zone-form-write' }, 'Write zones into the YAML');
    const addRule = el('button', { type: 'button' }, 'Add a rule');
    const rulesToYAML = el('button', { type: 'button', 'data-testid': 'rule-form-write' }, 'Write rules into the YAML');
    addZone.addEventListener('click', () => addZoneRow({ mode: 'presence' }));
    addRule.addEventListener('click', () => addRuleRow({}));
    zonesToYAML.addEventListener('click', () => writeBlock('zones', zonesBlock(zonesFromForm())));
    rulesToYAML.addEventListener('click', () => writeBlock('rules', rulesBlock(rulesFromForm())));

    const zoneForm = el('section', { 'data-testid': 'zone-form', 'aria-labelledby': 'config-zones-h', class: 'panel wide config-form' },
      el('h2', { id: 'config-zones-h' }, 'Zones'),
      el('p', { class: 'help' }, 'Read points are separated by commas. A zone with door sides is a door: ' +
        'the side a tag is read on first gives the direction of a crossing. Writing the form replaces the whole zones: section of the YAML.'),
      el('div', { class: 'scroll' }, el('table', { },
        el('thead', {}, el('tr', {}, ...['Id', 'Name', 'Mode', 'Read points', 'Door inside', 'Door outside', '']
          .map((h) => el('th', { scope: 'col' }, h)))), zoneRows)),
      el('div', { class: 'actions' }, addZone, zonesToYAML), points);
    const ruleForm = el('section', { 'data-testid': 'rule-form', 'aria-labelledby': 'config-rules-h', class: 'panel wide config-form' },
      el('h2', { id: 'config-rules-h' }, 'Rules'),
      el('p', { class: 'help' }, 'Match assets by key prefix, scheme (giai, sgtin…), GS1 company prefix or a pattern; ' +
        'then the zones they may or may not be in, and the door crossings that raise an alert.'),
      el('div', { class: 'scroll' }, el('table', { },
        el('thead', {}, el('tr', {}, ...['Id', 'Match', 'Allowed zones', 'Forbidden zones', 'Alert on', '']
          .map((h) => el('th', { scope: 'col' }, h)))), ruleRows)),
      el('div', { class: 'actions' }, addRule, rulesToYAML), zoneIds);

    // ----- check and apply -----
    async function send(method, path) {
      const headers = method === 'PUT' && state ? { 'If-Match': state.etag } : undefined;
      return ctx.api.send(method, path, textarea.value, 'application/yaml', headers);
    }

    function busy(on) { check.disabled = on; apply.disabled = on; }

    check.addEventListener('click', async () => {
      busy(true);
      say('Checking…');
      try {
        const answer = await send('POST', '/v1/config/check');
        if (!alive) return;
        if (answer.status === 200) {
          showErrors(answer.json.warnings || [], true);
          say(`✔ No errors. ${answer.json.summary}` +
            (answer.json.warnings.length ? ` (${answer.json.warnings.length} warning(s) listed)` : ''), 'ok');
        } else if (answer.status === 422) {
          showErrors(answer.json.errors);
          say(`✖ ${answer.json.errors.length} error(s): nothing was applied. Select one to go to its line.`, 'error');
        } else {
          say(`✖ The check failed: ${problem(answer)}`, 'error');
        }
      } finally { busy(false); }
    });

    apply.addEventListener('click', async () => {
      busy(true);
      say('Applying…');
      changes.replaceChildren();
      try {
        const answer = await send('PUT', '/v1/config');
        if (!alive) return;
        if (answer.status === 200) {
          showErrors([]);
          showChanges(answer.json);
          say(`✔ Applied and reloaded. ${answer.json.changes.length} change(s).`, 'ok');
          await load(false);
        } else if (answer.status === 422) {
          showErrors(answer.json.errors);
          say(`✖ ${answer.json.errors.length} error(s): nothing was applied. Select one to go to its line.`, 'error');
        } else if (answer.status === 412) {
          say('✖ The file was changed by someone else since this page read it: nothing was applied. ' +
            'Read the file again (your text is lost) or copy your edit first.', 'error');
        } else {
          say(`✖ Nothing was applied: ${problem(answer)}`, 'error');
        }
      } finally { busy(false); }
    });

    function problem(answer) {
      const j = answer.json;
      return j && j.error ? j.error + (j.detail ? ` (${j.detail})` : '') : `HTTP ${answer.status}`;
    }

    async function load(replaceText) {
      const answer = await ctx.api.send('GET', '/v1/config');
      if (!alive) return;
      if (answer.status !== 200) {
        main.replaceChildren(el('h1', {}, 'Configure'), el('div', { class: 'empty', 'data-testid': 'empty-state' }, el('p', {},
          answer.status === 404
            ? 'This gateway does not serve its configuration: start it with tagway run --config FILE and an api: section.'
            : `The configuration cannot be read: ${problem(answer)}`)));
        return;
      }
      state = answer.json;
      renderRunning(state);
      if (replaceText) {
        textarea.value = state.yaml;
        fillForms(state);
      }
    }

    reload.addEventListener('click', async () => {
      await load(true);
      showErrors([]);
      changes.replaceChildren();
      say('Read the file again.');
    });

    main.replaceChildren(el('h1', {}, 'Configure'), el('div', { class: 'config-page' },
      running,
      zoneForm,
      ruleForm,
      el('section', { 'aria-labelledby': 'config-yaml-h', class: 'panel wide config-editor' },
        el('h2', { id: 'config-yaml-h' }, el('label', { for: 'config-yaml' }, 'The configuration file (YAML)')),
        el('p', { class: 'help' }, 'Everything else (readers, sinks, the API, retention) is edited here. Check runs the ' +
          'same checks as tagway check-config; Apply writes the file (the previous version is kept as a numbered backup) ' +
          'and reloads the gateway, only when the check passes.'),
        textarea,
        el('div', { class: 'actions' }, check, apply, reload),
        status, errors, changesHeading, changes)));
    load(true).catch((e) => say(`✖ ${e.message}`, 'error'));
    return () => { alive = false; };
  },
};
