// Sign-in: with an access token, or with an API client's ID and secret
// (exchanged for a token at the token endpoint).

import { h } from './dom.js';
import { api, tokenFor } from './api.js';
import { explain } from './errors.js';
import { field } from './ui.js';

// signIn renders the form into main; onToken gets a token the service
// accepted, with its viewer. message, when set, says why the person is here.
export function signIn(main, message, onToken) {
  const token = h('textarea', { rows: 3, autocomplete: 'off', spellcheck: false, name: 'token' });
  const id = h('input', { type: 'text', autocomplete: 'username', name: 'client_id' });
  const secret = h('input', { type: 'password', autocomplete: 'current-password', name: 'client_secret' });
  const error = h('p', { class: 'error', role: 'alert' }, message || '');
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card signin', 'aria-labelledby': 'signin-title', novalidate: true },
    h('h1', { id: 'signin-title' }, 'Sign in'),
    h('p', {}, 'Use an access token, or the ID and secret of an API client. The token is kept in this browser tab only.'),
    h('fieldset', {}, h('legend', {}, 'With an access token'), field('Access token', token)),
    h('fieldset', {}, h('legend', {}, 'Or with client credentials'), field('Client ID', id), field('Client secret', secret)),
    error, button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    error.textContent = '';
    try {
      let t = token.value.trim();
      if (!t) {
        if (!id.value.trim() || !secret.value) throw { code: 'invalid_request', message: 'give an access token, or a client ID and secret' };
        t = await tokenFor(id.value.trim(), secret.value);
      }
      const data = await api.viewer(t);
      onToken(t, data.viewer);
    } catch (err) {
      error.textContent = explain(err);
      button.disabled = false;
    }
  });
  main.replaceChildren(form);
  (message ? error : token).focus?.();
  token.focus();
}
