// Pure functions over configuration text: find a top-level key's block and replace it, and write
// zones and rules as YAML the gateway's loader reads back exactly. No DOM, no I/O: the Configure
// page rewrites only the `zones:` and `rules:` blocks, so the rest of the file (comments included)
// stays as the person who wrote it left it.

const TOP_KEY = /^("[^"]*"|'[^']*'|[^\s#:][^:#]*?)\s*:(\s|$)/;

function keyOf(line) {
  const m = TOP_KEY.exec(line);
  if (!m) return null;
  const k = m[1];
  return k.startsWith('"') || k.startsWith("'") ? k.slice(1, -1) : k;
}

function isBoundary(line) {
  // A line at column 0 that is not blank and not a comment starts something else.
  return line.length > 0 && !/^\s/.test(line) && !line.startsWith('#');
}

function isFiller(line) {
  return /^\s*(#.*)?$/.test(line);
}

/** Lines [start, end) of the top-level `key:` block of `text`, or null. Blank and comment lines
 *  at the end of the block belong to what follows (a comment above the next key is about it). */
export function findBlock(text, key) {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => isBoundary(line) && keyOf(line) === key);
  if (start < 0) return null;
  let end = start + 1;
  while (end < lines.length && !isBoundary(lines[end])) end++;
  while (end > start + 1 && isFiller(lines[end - 1])) end--;
  return { start, end };
}

/** `text` with the top-level `key:` block replaced by `block` (lines, no trailing newline), or
 *  with `block` appended when the key is not there. */
export function replaceBlock(text, key, block) {
  const lines = text.split('\n');
  const found = findBlock(text, key);
  const added = block.split('\n');
  if (found) {
    lines.splice(found.start, found.end - found.start, ...added);
    return lines.join('\n');
  }
  let out = text;
  if (out.length > 0 && !out.endsWith('\n')) out += '\n';
  return out + block + '\n';
}

const RESERVED = /^(y|yes|n|no|true|false|on|off|null)$/i;
const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*$/;

/** A YAML scalar for `value`: plain when it cannot be read as anything but that text, else
 *  double-quoted (JSON's escapes are YAML's, plus the characters YAML wants escaped). */
export function quote(value) {
  const text = String(value);
  if (PLAIN.test(text) && !RESERVED.test(text)) return text;
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

export function list(values) {
  return '[' + values.map(quote).join(', ') + ']';
}

/** Words of a list typed into a field: commas or spaces between them. */
export function splitList(text) {
  return String(text || '').split(/[\s,]+/).filter((word) => word.length > 0);
}

function mapping(entries) {
  const parts = entries.filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => `${k}: ${v}`);
  return '{ ' + parts.join(', ') + ' }';
}

/** One zone as a flow mapping: `{ id, name?, aliases?, mode?, readPoints | door }`. A zone with
 *  read points on a door side is a door; both kinds given are written as given, so the check
 *  says what is wrong instead of the page guessing. */
export function zoneLine(zone) {
  const inside = zone.door ? zone.door.inside || [] : [];
  const outside = zone.door ? zone.door.outside || [] : [];
  const isDoor = inside.length > 0 || outside.length > 0;
  const points = zone.readPoints || [];
  return '  - ' + mapping([
    ['id', quote(zone.id)],
    ['name', zone.name ? quote(zone.name) : null],
    ['aliases', zone.aliases && zone.aliases.length ? list(zone.aliases) : null],
    ['mode', zone.mode && zone.mode !== 'presence' ? quote(zone.mode) : null],
    ['readPoints', !isDoor || points.length ? list(points) : null],
    ['door', isDoor ? mapping([['inside', list(inside)], ['outside', list(outside)]]) : null],
  ]);
}

export const MATCH_KEYS = ['keyPrefix', 'scheme', 'companyPrefix', 'pattern'];

/** One rule as a flow mapping: `{ id, match: {…}, allowedZones?, forbiddenZones?, alertOn? }`. */
export function ruleLine(rule) {
  const match = rule.match || {};
  return '  - ' + mapping([
    ['id', quote(rule.id)],
    ['match', mapping(MATCH_KEYS.filter((k) => match[k]).map((k) => [k, quote(match[k])]))],
    ['allowedZones', rule.allowedZones && rule.allowedZones.length ? list(rule.allowedZones) : null],
    ['forbiddenZones', rule.forbiddenZones && rule.forbiddenZones.length ? list(rule.forbiddenZones) : null],
    ['alertOn', rule.alertOn && rule.alertOn.length ? list(rule.alertOn) : null],
  ]);
}

export function zonesBlock(zones) {
  return zones.length ? ['zones:', ...zones.map(zoneLine)].join('\n') : 'zones: []';
}

export function rulesBlock(rules) {
  return rules.length ? ['rules:', ...rules.map(ruleLine)].join('\n') : 'rules: []';
}

/** Character offsets [start, end) of 1-based line `line` in `text` (line 0 or past the end: the
 *  first or the last line), for moving a textarea's caret to an error. */
export function lineRange(text, line) {
  const lines = text.split('\n');
  const index = Math.min(Math.max(line, 1), lines.length) - 1;
  let start = 0;
  for (let i = 0; i < index; i++) start += lines[i].length + 1;
  return { start, end: start + lines[index].length };
}
