// Formatting for people: times in the gateway's time zone with its abbreviation, grouped
// numbers, sizes, "3 s ago", and fmt.el, the one way pages build DOM (text is always a text
// node, never parsed as HTML, so data from the log cannot inject markup).

let timeZone = 'UTC';
let timeFormat = makeTimeFormat(timeZone);
const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

function makeTimeFormat(zone) {
  try {
    // en-GB: abbreviations such as CET, BST, UTC (en-US writes GMT+1); the layout is built from parts.
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
    });
  } catch (_) {
    return null;
  }
}

/** The gateway's IANA zone (from /v1/status); an unknown one falls back to UTC. */
export function setTimeZone(zone) {
  const format = zone ? makeTimeFormat(zone) : null;
  timeZone = format ? zone : 'UTC';
  timeFormat = format || makeTimeFormat('UTC');
}

export function time(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const parts = Object.fromEntries(timeFormat.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}

/** Only the clock part (for feeds, where the date is today). */
export function clock(iso) {
  const full = time(iso);
  const space = full.indexOf(' ');
  return space > 0 ? full.slice(space + 1) : full;
}

export function number(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '–';
  return numberFormat.format(Number(n));
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number(n);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${numberFormat.format(unit === 0 ? value : Math.round(value * 10) / 10)} ${units[unit]}`;
}

export function ago(iso) {
  if (!iso) return 'never';
  const ms = Date.now() - new Date(iso).getTime();
  if (Number.isNaN(ms)) return String(iso);
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function rssi(value) {
  if (value === null || value === undefined) return '–';
  return `${Number(value).toFixed(1)} dBm`;
}

/**
 * el('a', {href: '#/x', class: 'c', 'data-testid': 't', onclick: fn}, 'text', child, [more])
 * Strings become text nodes; null, undefined and false children are skipped.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key === 'value') node.value = value;
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces a node's children (same child rules as el). */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** An empty state: what is missing and what to do next. */
export function empty(what, next) {
  return el('div', { class: 'empty', 'data-testid': 'empty-state', role: 'note' },
    el('p', { class: 'empty-what' }, what), next ? el('p', { class: 'empty-next' }, next) : null);
}

/** A state shown by text and a symbol, not by colour alone. */
export function badge(kind, text) {
  const symbols = { ok: '✔', warn: '▲', bad: '✖', idle: '○', info: '●' };
  return el('span', { class: `badge badge-${kind}` }, el('span', { 'aria-hidden': 'true' }, symbols[kind] || '●'), ` ${text}`);
}

export const zone = () => timeZone;

export default { time, clock, number, bytes, ago, rssi, el, fill, empty, badge, setTimeZone, zone };
