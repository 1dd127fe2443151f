// The API client of the console: every request carries the token from sessionStorage (never a
// URL); a 401 anywhere sends the user back to the login form.

const KEY = 'tagway.token';

export class APIError extends Error {
  constructor(status, body) {
    super(body && body.error ? `${body.error}${body.detail ? ` (${body.detail})` : ''}` : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

let unauthorized = () => {};

function headers(extra) {
  const h = Object.assign({}, extra || {});
  const token = sessionStorage.getItem(KEY);
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

async function parse(response) {
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
  return { status: response.status, json, text, headers: response.headers };
}

function check401(status) {
  if (status === 401) unauthorized();
}

export const api = {
  token: () => sessionStorage.getItem(KEY),
  setToken(token) { if (token) sessionStorage.setItem(KEY, token); else sessionStorage.removeItem(KEY); },
  clearToken() { sessionStorage.removeItem(KEY); },
  onUnauthorized(fn) { unauthorized = fn; },

  /** GET a JSON answer; throws APIError for any non-2xx (after the 401 redirect). */
  async get(path) {
    const answer = await parse(await fetch(path, { headers: headers({ Accept: 'application/json' }), cache: 'no-store' }));
    check401(answer.status);
    if (answer.status < 200 || answer.status > 299) throw new APIError(answer.status, answer.json);
    return answer.json;
  },

  /** Any method (extraHeaders: e.g. If-Match); never throws for an HTTP status (network failures still reject). */
  async send(method, path, body, contentType, extraHeaders) {
    const h = headers(Object.assign({ Accept: 'application/json' }, extraHeaders));
    if (contentType) h['Content-Type'] = contentType;
    const answer = await parse(await fetch(path, { method, headers: h, body, cache: 'no-store' }));
    check401(answer.status);
    return { status: answer.status, json: answer.json, text: answer.text };
  },

  async download(method, path, body, contentType) {
    const h = headers();
    if (contentType) h['Content-Type'] = contentType;
    const response = await fetch(path, { method, headers: h, body, cache: 'no-store' });
    check401(response.status);
    if (!response.ok) throw new APIError(response.status, await parse(response).then((a) => a.json));
    return response.blob();
  },

  /**
   * The live event stream (SSE read through fetch, since EventSource cannot send a token).
   * Reconnects after a drop with Last-Event-ID, so no event is missed or repeated.
   * onState: 'connecting' | 'open' | 'retrying' | 'closed'. Returns close().
   */
  stream({ after, onEvent, onState }) {
    let last = after === undefined || after === null ? null : String(after);
    let controller = null;
    let closed = false;
    let timer = null;
    const state = (s) => { if (onState) onState(s); };

    async function connect() {
      if (closed) return;
      controller = new AbortController();
      state('connecting');
      try {
        const extra = { Accept: 'text/event-stream' };
        if (last !== null) extra['Last-Event-ID'] = last;
        const response = await fetch('/v1/events/stream', { headers: headers(extra), signal: controller.signal, cache: 'no-store' });
        if (response.status === 401) { check401(401); closed = true; state('closed'); return; }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        state('open');
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            frame(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch (_) {
        if (closed) return;
      }
      if (closed) return;
      state('retrying');
      timer = setTimeout(connect, 2000);
    }

    function frame(text) {
      let id = null; let type = 'message'; const data = [];
      for (const line of text.split('\n')) {
        if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (id !== null) last = id;
      if (!data.length || type === 'error') { if (type === 'error') state('retrying'); return; }
      try { onEvent(JSON.parse(data.join('\n'))); } catch (_) { /* a frame that is not JSON is skipped */ }
    }

    connect();
    return () => {
      closed = true;
      clearTimeout(timer);
      if (controller) controller.abort();
      state('closed');
    };
  },
};

export default api;
