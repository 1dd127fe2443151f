// The login form: the token goes to sessionStorage only after the server accepted it. It shows
// before the console knows whether it talks to a gateway or a site, so it names neither alone.
import { el, fill } from './format.js';

/** Asks the server (gateway or site) whether `token` (null: none) opens /v1; returns 'ok' | 'refused' | 'error:<text>'. */
export async function probe(token) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    const response = await fetch('/v1/zones', { headers, cache: 'no-store' });
    if (response.status === 401) return 'refused';
    if (response.ok) return 'ok';
    return `error:the server answered HTTP ${response.status}`;
  } catch (error) {
    return `error:the server cannot be reached (${error.message})`;
  }
}

export function renderLogin(main, { api, onDone, message }) {
  const input = el('input', { id: 'login-token', type: 'password', name: 'token', autocomplete: 'current-password',
    required: true, 'data-testid': 'login-token', 'aria-describedby': 'login-help' });
  const error = el('p', { class: 'error', role: 'alert', 'data-testid': 'login-error', hidden: !message }, message || '');
  const submit = el('button', { type: 'submit', 'data-testid': 'login-submit' }, 'Log in');
  const form = el('form', { class: 'login', 'aria-labelledby': 'login-title' },
    el('h1', { id: 'login-title' }, 'Log in to Tagway'),
    el('label', { for: 'login-token' }, 'API token'),
    input,
    el('p', { id: 'login-help', class: 'help' },
      'One of the tokens in api.tokens of this gateway\'s configuration (tagway run) or this site\'s (tagway site). It is kept in this browser tab only ' +
      '(session storage) and sent with each request; closing the tab forgets it.'),
    error, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    submit.disabled = true;
    error.hidden = true;
    const answer = await probe(token);
    submit.disabled = false;
    if (answer === 'ok') {
      api.setToken(token);
      onDone();
      return;
    }
    error.hidden = false;
    error.textContent = answer === 'refused'
      ? 'This token is not accepted here. Check it against api.tokens (a rotated token stops working at the next reload).'
      : `Cannot log in: ${answer.slice(6)}.`;
    input.focus();
    input.select();
  });
  fill(main, form);
  input.focus();
}
