// The JSON API with the session cookie; writes carry the page's CSRF token.
const csrf = document.querySelector('meta[name="csrf-token"]').content;

export class ApiError extends Error {
  constructor(status, body) {
    super(body && (body.detail || body.title) ? (body.detail || body.title) : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function answer(r) {
  if (r.status === 401) {
    location.href = '/login';
    throw new ApiError(401, { detail: 'signed out' });
  }
  const text = await r.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { detail: text }; }
  if (!r.ok) throw new ApiError(r.status, body);
  return body;
}

export async function get(path, signal) {
  return answer(await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal }));
}

export async function post(path, body, extraHeaders) {
  const headers = { Accept: 'application/json', 'X-CSRF-Token': csrf, ...(extraHeaders || {}) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return answer(await fetch(path, {
    method: 'POST', headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  }));
}

/** Streams a text response (a task's log) to onText until it ends or signal aborts. */
export async function stream(path, onText, signal) {
  const r = await fetch(path, { credentials: 'same-origin', signal });
  if (r.status === 401) {
    location.href = '/login';
    throw new ApiError(401, { detail: 'signed out' });
  }
  if (!r.ok) {
    const text = await r.text();
    let body = null;
    try { body = JSON.parse(text); } catch (e) { body = { detail: text }; }
    throw new ApiError(r.status, body);
  }
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    onText(decoder.decode(value, { stream: true }));
  }
}

export const enc = encodeURIComponent;
