// The hub's API from the browser: the credential (API key or JWT) kept in sessionStorage and sent as the
// header the API reads, JSON calls, and server-sent event streams read with fetch (EventSource cannot send
// a header), reconnecting with a growing pause.

const credentialKey = 'edgecloud.credential';

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

export function credential() {
  return sessionStorage.getItem(credentialKey) || '';
}

export function setCredential(value) {
  if (value) sessionStorage.setItem(credentialKey, value.trim());
  else sessionStorage.removeItem(credentialKey);
}

/** A JWT has three base64url parts; anything else is taken for an API key. */
function authHeaders() {
  const value = credential();
  if (!value) return {};
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(value) ? { Authorization: `Bearer ${value}` } : { 'X-Api-Key': value };
}

let onUnauthorized = () => {};
export function whenUnauthorized(handler) { onUnauthorized = handler; }

/** GET or POST JSON; throws ApiError with the problem details' text on any non-2xx. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = { Accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  if (response.status === 401) onUnauthorized();
  if (!response.ok) {
    let detail = '';
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || '';
    } catch { /* not JSON */ }
    throw new ApiError(response.status, detail || `${method} ${path}: HTTP ${response.status}`);
  }
  return response.status === 204 ? null : response.json();
}

/**
 * Follows a server-sent event stream until stop() is called: handler(eventName, data) for every event whose
 * data is JSON. Reconnects after an error or an end of stream (1 s, doubling to 30 s). onState(true|false)
 * tells whether the stream is up. A 404 stops for good (the route does not exist here).
 */
export function follow(path, handler, { onState = () => {} } = {}) {
  const controller = new AbortController();
  let pause = 1000;
  (async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(path, { headers: { Accept: 'text/event-stream', ...authHeaders() }, signal: controller.signal });
        if (response.status === 404) return;
        if (response.status === 401) { onUnauthorized(); return; }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        onState(true);
        pause = 1000;
        await readEvents(response.body, handler);
      } catch (error) {
        if (controller.signal.aborted) return;
      }
      onState(false);
      await new Promise(resolve => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 30000);
    }
  })();
  return { stop: () => controller.abort() };
}

async function readEvents(body, handler) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer[end] === '\r' ? 4 : 2));
      let name = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') name = text;
        else if (field === 'data') data.push(text);
      }
      if (data.length === 0) continue;
      let parsed;
      try { parsed = JSON.parse(data.join('\n')); } catch { continue; }
      handler(name, parsed);
    }
  }
}
