// The dashboard's entry point: sign-in, the hash router (#/fleet, #/agent/<id>, #/alarms, #/rollouts,
// #/backlog).
import { api, credential, setCredential, whenUnauthorized, ApiError } from './api.js';
import * as fleet from './fleet.js';
import * as agent from './agent.js';
import * as alarms from './alarms.js';
import * as rollouts from './rollouts.js';
import * as backlog from './backlog.js';

const pages = { fleet, agent, alarms, rollouts, backlog };
const main = document.getElementById('main');
const signin = document.getElementById('signin');
const signOut = document.getElementById('sign-out');
const status = document.getElementById('status');
let cleanup = () => {};

function route() {
  cleanup();
  cleanup = () => {};
  main.replaceChildren();
  const [name, ...params] = (location.hash.replace(/^#\/?/, '') || 'fleet').split('/').map(decodeURIComponent);
  const page = pages[name] || fleet;
  for (const link of document.querySelectorAll('.nav a')) link.classList.toggle('active', link.dataset.page === (pages[name] ? name : 'fleet'));
  document.title = `EdgeCloud · ${pages[name] ? name : 'fleet'}${params[0] ? ` · ${params[0]}` : ''}`;
  cleanup = page.render(main, params) || (() => {});
}

function showSignIn(message) {
  cleanup();
  cleanup = () => {};
  main.replaceChildren();
  signin.hidden = false;
  signOut.hidden = true;
  document.getElementById('signin-error').textContent = message || '';
  document.getElementById('credential').focus();
}

/** Checks the credential against the API; shows the pages or the sign-in form. */
async function start() {
  try {
    await api('/api/v1/agents');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      showSignIn(credential() ? 'That key or token was refused.' : '');
      return;
    }
    status.textContent = `hub not answering: ${error.message}`;
  }
  signin.hidden = true;
  signOut.hidden = !credential();
  document.getElementById('who').textContent = credential() ? 'signed in' : 'development hub (no sign-in)';
  route();
}

whenUnauthorized(() => showSignIn('Signed out: the hub refused the key or token.'));
document.getElementById('signin-form').addEventListener('submit', event => {
  event.preventDefault();
  setCredential(document.getElementById('credential').value);
  document.getElementById('credential').value = '';
  start();
});
signOut.addEventListener('click', () => { setCredential(''); showSignIn(''); });
window.addEventListener('hashchange', () => { if (signin.hidden) route(); });
start();
