// The server's JSON API. The token from the printed URL (`/?token=…`) is kept in memory and sent
// as a bearer header; the server also set it as an HttpOnly cookie, which is what a reload uses
// once app.js has taken the token out of the address bar.
const token = new URLSearchParams(location.search).get('token');

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** A same-origin URL for `path`, with query parameters (and the token, for EventSource which cannot send headers). */
export function apiUrl(path, params = {}, withToken = false) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, String(value));
  if (withToken && token) url.searchParams.set('token', token);
  return url.href;
}

export async function getJson(path) {
  const response = await fetch(apiUrl(path), { headers: token ? { Authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const message = response.status === 401 ? 'Not authorised: open the URL that `drover dashboard` printed (it carries the token).' : body.error ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return response.json();
}

/**
 * An action (`--allow-actions`): a same-origin POST with the X-Drover-Action header the server
 * requires. Its result arrives through the event stream like any event; a refusal is thrown
 * with the server's reason.
 */
export async function postAction(path) {
  const response = await fetch(apiUrl(path), { method: 'POST', headers: { 'X-Drover-Action': '1', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, cache: 'no-store' });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

const enc = encodeURIComponent;
export const api = {
  runs: () => getJson('/api/runs'),
  run: (runId) => getJson(`/api/runs/${enc(runId)}`),
  graph: (runId) => getJson(`/api/runs/${enc(runId)}/graph`),
  timeline: (runId) => getJson(`/api/runs/${enc(runId)}/timeline`),
  task: (runId, taskId) => getJson(`/api/runs/${enc(runId)}/tasks/${enc(taskId)}`),
  retry: (runId, taskId) => postAction(`/api/runs/${enc(runId)}/tasks/${enc(taskId)}/retry`),
  cancel: (runId) => postAction(`/api/runs/${enc(runId)}/cancel`),
  eventsUrl: (runId, after) => apiUrl(`/api/runs/${enc(runId)}/events`, { after }, true),
};
