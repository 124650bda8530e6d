// job-queue dashboard: a small single-page app over the JSON API next to it (api/...).
// No framework, no inline script (the CSP forbids it), and every value from the server is put
// into the page as text (textContent), never as markup.
'use strict';

const STATES = ['QUEUED', 'DELAYED', 'PROCESSING', 'FAILING', 'COMPLETED', 'FAILED', 'CANCELLED'];
const session = { csrfToken: null, readOnly: false, mode: null };
let timer = null;

// ------------------------------------------------------------------ helpers

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function qs(params) {
  return Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&');
}

function ago(ms) {
  if (ms === null || ms === undefined) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleString() + ' (' + (d.getTime() <= Date.now() ? ago(Date.now() - d.getTime()) + ' ago'
      : 'in ' + ago(d.getTime() - Date.now())) + ')';
}

function status(message, isError) {
  const s = document.getElementById('status');
  s.textContent = message || '';
  s.className = isError ? 'error' : 'muted';
}

class HttpError extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

async function api(method, path, params) {
  const headers = { 'Accept': 'application/json' };
  if (method === 'POST') headers['X-CSRF-Token'] = session.csrfToken || '';
  const url = 'api/' + path + (params ? '?' + qs(params) : '');
  const res = await fetch(url, { method, headers, credentials: 'same-origin', cache: 'no-store' });
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (res.status === 401) {
    showLogin();
    throw new HttpError(401, 'authentication required');
  }
  if (!res.ok && !(body && body.result)) {
    throw new HttpError(res.status, (body && body.error) || res.statusText);
  }
  return body;
}

function setRefresh(fn, ms) {
  if (timer) clearInterval(timer);
  timer = fn ? setInterval(() => fn().catch(e => status(e.message, true)), ms) : null;
}

// ------------------------------------------------------------------ session

async function loadSession() {
  const s = await api('GET', 'session');
  session.csrfToken = s.csrfToken;
  session.readOnly = s.readOnly;
  session.mode = s.mode;
  document.getElementById('mode-badge').hidden = !s.readOnly;
  document.getElementById('logout').hidden = s.mode !== 'token';
}

function showLogin() {
  setRefresh(null);
  const main = document.getElementById('main');
  if (document.getElementById('login')) return;
  main.replaceChildren(document.getElementById('login-template').content.cloneNode(true));
  document.getElementById('login').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const res = await fetch('api/login', {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: document.getElementById('token').value })
    });
    if (!res.ok) {
      const err = document.getElementById('login-error');
      err.textContent = res.status === 401 ? 'Wrong token.' : 'Sign-in failed (' + res.status + ').';
      err.hidden = false;
      return;
    }
    await start();
  });
  document.getElementById('token').focus();
}

// ------------------------------------------------------------------ actions

async function act(question, path, params, after) {
  if (!window.confirm(question)) return;
  try {
    const r = await api('POST', path, params);
    status(describe(r));
    if (after) await after(r);
  } catch (e) {
    status(e.message, true);
  }
}

function describe(r) {
  if (!r) return 'done';
  if (r.result) return 'Result: ' + r.result;
  if (r.retried !== undefined) return r.retried + ' job(s) queued again';
  if (r.deleted !== undefined) return r.deleted + ' job(s) deleted';
  if (r.changed !== undefined) return r.changed ? 'done' : 'nothing to change';
  return 'done';
}

function actionButton(label, cls, enabled, onclick, id) {
  return el('button', { class: cls, id, disabled: session.readOnly || !enabled,
    title: session.readOnly ? 'read-only dashboard' : null, onclick }, label);
}

// ------------------------------------------------------------------ chart

function chart(series, width, height) {
  const box = svg('svg', { class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  const at = series ? series.at : [];
  const c = series ? series.completedPerMinute : [];
  const f = series ? series.failedPerMinute : [];
  box.appendChild(svg('line', { class: 'axis', x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 }));
  if (at.length < 2) {
    const t = svg('text', { x: 4, y: height / 2 + 4 });
    t.textContent = 'collecting samples…';
    box.appendChild(t);
    return box;
  }
  const max = Math.max(1, ...c, ...f);
  const t0 = at[0], t1 = at[at.length - 1];
  const x = (t) => (t1 === t0 ? 0 : (t - t0) / (t1 - t0) * (width - 2) + 1);
  const y = (v) => height - 2 - v / max * (height - 14);
  const line = (values, cls) => svg('polyline', { class: cls,
    points: values.map((v, i) => x(at[i]).toFixed(1) + ',' + y(v).toFixed(1)).join(' ') });
  box.appendChild(line(c, 'completed'));
  box.appendChild(line(f, 'failed'));
  const label = svg('text', { x: 2, y: 10 });
  label.textContent = 'max ' + Math.round(max) + '/min';
  box.appendChild(label);
  return box;
}

// ------------------------------------------------------------------ views

async function overview() {
  const [data, tp] = await Promise.all([api('GET', 'queues'), api('GET', 'throughput')]);
  const rows = data.queues.map(q => {
    if (q.unsupported) {
      return el('tr', { 'data-queue': q.name }, el('td', {}, q.name),
        el('td', { colspan: 12, class: 'muted' }, 'cannot be opened here: ' + q.unsupported));
    }
    const total = (q.totals && (q.totals.completed + q.totals.failed)) || 0;
    const failRate = total ? (100 * q.totals.failed / total).toFixed(1) + ' %' : '–';
    const name = encodeURIComponent(q.name);
    return el('tr', { 'data-queue': q.name },
      el('td', {}, el('a', { href: `#/queue/${name}/QUEUED`, class: 'queue-link' }, q.name)),
      el('td', {}, el('span', { class: 'pill ' + (q.paused ? 'paused' : 'running') }, q.paused ? 'paused' : 'running')),
      STATES.map(s => el('td', { class: 'num' + (q.counts[s] ? '' : ' zero') },
        el('a', { href: `#/queue/${name}/${s}`, 'data-count': s }, String(q.counts[s])))),
      el('td', { class: 'num', title: q.nextJob ? 'next job to run: ' + q.nextJob.id : '' },
        q.nextJob ? ago(q.nextJob.ageMillis) : '–'),
      el('td', { class: 'num' }, failRate),
      el('td', {}, chart(tp.queues[q.name], 180, 40)),
      el('td', {}, actionButton(q.paused ? 'Resume' : 'Pause', '', true,
        () => act((q.paused ? 'Resume' : 'Pause') + ' queue "' + q.name + '"?', 'queue/' + (q.paused ? 'resume' : 'pause'),
          { queue: q.name }, overview))));
  });
  const table = el('table', { id: 'queues' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Queue'), el('th', {}, 'Status'),
      STATES.map(s => el('th', { class: 'num' }, s.toLowerCase())),
      el('th', { class: 'num', title: 'age of the next job to run (oldest QUEUED)' }, 'next job waiting'),
      el('th', { class: 'num', title: 'failed / finished since the storage started counting' }, 'failure rate'),
      el('th', {}, 'finished per minute, last hour'), el('th', {}, ''))),
    el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 13, class: 'muted' }, 'No queues yet.'))));
  document.getElementById('main').replaceChildren(
    el('h1', {}, 'Queues'),
    el('p', { class: 'legend' }, 'Chart: ', el('span', { class: 'c' }, '— completed'), ' ', el('span', { class: 'f' }, '— failed'),
      ' per minute, sampled every few seconds. ', data.truncated ? 'Showing the first 500 queues.' : ''),
    el('div', { class: 'card' }, table));
}

async function queueView(queue, state, cursor, trail) {
  trail = trail || [];
  const [data, queues] = await Promise.all([
    api('GET', 'jobs', { queue, state, order: 'OLDEST_FIRST', cursor, limit: 50 }),
    api('GET', 'queues')]);
  const q = queues.queues.find(x => x.name === queue) || { counts: {}, paused: false };
  const name = encodeURIComponent(queue);
  const tabs = el('div', { class: 'tabs' }, STATES.map(s => el('a', {
    href: `#/queue/${name}/${s}`, class: s === state ? 'active' : '', 'data-state': s },
    s.toLowerCase() + ' (' + (q.counts[s] || 0) + ')')));
  const search = el('form', { class: 'toolbar', id: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    const id = document.getElementById('search-id').value.trim();
    if (id) location.hash = `#/job/${name}/${encodeURIComponent(id)}`;
  } }, el('input', { type: 'search', id: 'search-id', placeholder: 'job id', 'aria-label': 'job id' }),
  el('button', { type: 'submit' }, 'Find job'));
  const tools = el('div', { class: 'toolbar' },
    state === 'FAILED' ? actionButton('Retry all failed', 'primary', (q.counts.FAILED || 0) > 0,
      () => act(`Queue all ${q.counts.FAILED} failed jobs of "${queue}" again?`, 'queue/retry-failed', { queue },
        () => queueView(queue, state)), 'retry-all') : null,
    state !== 'PROCESSING' ? actionButton('Purge ' + state.toLowerCase(), 'danger', (q.counts[state] || 0) > 0,
      () => act(`Delete all ${q.counts[state]} ${state.toLowerCase()} jobs of "${queue}"? This cannot be undone.`,
        'queue/purge', { queue, state }, () => queueView(queue, state)), 'purge') : null,
    actionButton(q.paused ? 'Resume queue' : 'Pause queue', '', true,
      () => act((q.paused ? 'Resume' : 'Pause') + ` queue "${queue}"?`, 'queue/' + (q.paused ? 'resume' : 'pause'),
        { queue }, () => queueView(queue, state)), 'pause'),
    el('button', { onclick: () => queueView(queue, state).catch(e => status(e.message, true)) }, 'Refresh'));
  const rows = data.jobs.map(j => el('tr', {},
    el('td', {}, el('a', { class: 'id job-link', href: `#/job/${name}/${encodeURIComponent(j.id)}`, 'data-id': j.id }, j.id)),
    el('td', { class: 'state-' + j.state }, j.state.toLowerCase()),
    el('td', { class: 'num' }, j.attempts + '/' + j.maxAttempts),
    el('td', {}, time(j.createdAt)),
    el('td', {}, time(j.finishedAt || j.runAt || j.startedAt)),
    el('td', { class: 'muted' }, j.errorPreview || j.workerId || '')));
  const pager = el('div', { class: 'toolbar' },
    el('button', { disabled: trail.length === 0, onclick: () => {
      const prev = trail.slice(0, -1);
      queueView(queue, state, trail[trail.length - 1] || null, prev).catch(e => status(e.message, true));
    } }, '← Previous'),
    el('button', { id: 'next-page', disabled: !data.nextCursor,
      onclick: () => queueView(queue, state, data.nextCursor, trail.concat([cursor || null])).catch(e => status(e.message, true)) },
    'Next →'));
  document.getElementById('main').replaceChildren(
    el('h1', {}, el('a', { href: '#/' }, 'Queues'), ' / ', queue, ' ',
      el('span', { class: 'pill ' + (q.paused ? 'paused' : 'running') }, q.paused ? 'paused' : 'running')),
    tabs, search, tools,
    el('div', { class: 'card' }, el('table', { id: 'jobs' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Job id'), el('th', {}, 'State'), el('th', { class: 'num' }, 'Attempts'),
        el('th', {}, 'Created'), el('th', {}, 'Finished / due / started'), el('th', {}, 'Error / worker'))),
      el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No jobs in this state.'))))),
    pager);
}

async function jobView(queue, id) {
  let job;
  try {
    job = await api('GET', 'job', { queue, id });
  } catch (e) {
    if (e.code !== 404) throw e;
    document.getElementById('main').replaceChildren(
      el('h1', {}, el('a', { href: '#/queue/' + encodeURIComponent(queue) + '/QUEUED' }, queue), ' / ', id),
      el('p', { class: 'muted', id: 'job-missing' }, 'No such job (never enqueued, deleted, or its record expired).'));
    return;
  }
  const reload = () => jobView(queue, id);
  const facts = [
    ['State', el('span', { id: 'job-state', class: 'state-' + job.state }, job.state)],
    ['Attempts', job.attempts + ' of ' + job.maxAttempts], ['Stalls', String(job.stalls)],
    ['Priority', String(job.priority)], ['Created', time(job.createdAt)], ['Due', time(job.runAt)],
    ['Started', time(job.startedAt)], ['Finished', time(job.finishedAt)], ['Expires', time(job.expiresAt)],
    ['Worker', job.workerId || '–'], ['Lease until', time(job.leaseDeadline)]];
  const dl = el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  const meta = Object.entries(job.metadata || {});
  const s = job.state;
  const actions = el('div', { class: 'toolbar' },
    actionButton('Retry', 'primary', s === 'FAILED' || s === 'CANCELLED',
      () => act(`Retry job "${id}"? It is queued again with its attempts reset.`, 'job/retry', { queue, id }, reload), 'action-retry'),
    actionButton('Run now', '', s === 'DELAYED' || s === 'FAILING',
      () => act(`Promote job "${id}" so it runs now?`, 'job/promote', { queue, id }, reload), 'action-promote'),
    actionButton('Cancel', '', s === 'QUEUED' || s === 'DELAYED' || s === 'FAILING' || s === 'PROCESSING',
      () => act(`Cancel job "${id}"?`, 'job/cancel', { queue, id }, reload), 'action-cancel'),
    actionButton('Delete', 'danger', s !== 'PROCESSING',
      () => act(`Delete job "${id}"? Its record, payload and result are gone for good.`, 'job/delete', { queue, id },
        () => { location.hash = '#/queue/' + encodeURIComponent(queue) + '/' + s; }), 'action-delete'));
  const payload = job.payloadHidden
    ? el('p', { class: 'muted', id: 'payload-hidden' }, 'Payloads of this queue are not shown.')
    : el('pre', { id: 'payload' }, job.payload === null || job.payload === undefined
      ? (job.decodeError ? 'not JSON: ' + job.decodeError : 'null') : JSON.stringify(job.payload, null, 2));
  const error = job.error ? el('div', { class: 'card' }, el('h2', {}, 'Error'),
    el('p', { class: 'error', id: 'error-message' }, job.error.type + ': ' + (job.error.message || '')),
    el('p', { class: 'muted' }, 'attempt ' + job.error.attempts + ', ' + time(job.error.failedAt) +
      (job.error.code ? ', code ' + job.error.code : '')),
    job.error.stackTrace ? el('pre', { id: 'stack-trace' }, job.error.stackTrace) : null) : null;
  document.getElementById('main').replaceChildren(
    el('h1', {}, el('a', { href: '#/' }, 'Queues'), ' / ',
      el('a', { href: '#/queue/' + encodeURIComponent(queue) + '/' + s }, queue), ' / ', el('span', { class: 'id' }, id)),
    actions,
    el('div', { class: 'grid2' },
      el('div', { class: 'card' }, el('h2', {}, 'Job'), dl),
      el('div', { class: 'card' }, el('h2', {}, 'Metadata'), meta.length
        ? el('dl', { class: 'facts', id: 'metadata' }, meta.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]))
        : el('p', { class: 'muted' }, 'none'))),
    error,
    el('div', { class: 'card' }, el('h2', {}, 'Payload'), payload),
    !job.payloadHidden && job.result !== null && job.result !== undefined
      ? el('div', { class: 'card' }, el('h2', {}, 'Result'), el('pre', { id: 'result' }, JSON.stringify(job.result, null, 2)))
      : null);
}

// ------------------------------------------------------------------ routing

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  let view;
  if (parts[0] === 'queue' && parts.length >= 2) {
    const state = STATES.includes(parts[2]) ? parts[2] : 'QUEUED';
    view = () => queueView(parts[1], state);
    setRefresh(null);
  } else if (parts[0] === 'job' && parts.length >= 3) {
    view = () => jobView(parts[1], parts.slice(2).join('/'));
    setRefresh(view, 2000);
  } else {
    view = overview;
    setRefresh(view, 5000);
  }
  status('');
  view().catch(e => { if (e.code !== 401) status(e.message, true); });
}

async function start() {
  try {
    await loadSession();
  } catch (e) {
    if (e.code !== 401) status(e.message, true);
    return;
  }
  route();
}

window.addEventListener('hashchange', route);
document.getElementById('logout').addEventListener('click', async () => {
  await api('POST', 'logout').catch(() => null);
  location.reload();
});
start();
