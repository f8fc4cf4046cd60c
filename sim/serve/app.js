// SPDX-License-Identifier: MIT
// app.js: the what-if explorer of `flowsim serve` (docs/serve.md).
//
// The state of the page is the scenario id and a list of overrides, PATH=VALUE, exactly what
// `flowsim run --set` takes; it lives in the URL (?scenario=ID&set=PATH%3DVALUE...), so a
// view can be shared, and every number on the page comes from the server's /api/, which
// answers with what the CLI prints. No HTML is built from strings: text goes in textContent.
'use strict';

const $ = (id) => document.getElementById(id);
const DAY_MS = 86400000;

// sets: [[path, value], ...]; claims: the scenario's, as /api/claims lists them
const state = { catalog: null, scenario: null, sets: [], claims: [] };
const shown = { timeline: null, runController: null, started: 0 };

// ---- the URL and the overrides ----

function readUrl () {
  const params = new URLSearchParams(window.location.search);
  const sets = [];
  for (const s of params.getAll('set')) {
    const eq = s.indexOf('=');
    if (eq > 0) sets.push([s.slice(0, eq), s.slice(eq + 1)]);
  }
  return { scenario: params.get('scenario'), sets };
}

function query (sets) {
  const params = new URLSearchParams();
  params.append('scenario', state.scenario.id);
  for (const [path, value] of sets) params.append('set', path + '=' + value);
  return params.toString();
}

function getSet (path) {
  const found = state.sets.find(([p]) => p === path);
  return found ? found[1] : undefined;
}

// Sets (or with value null, drops) the override of @path, keeping the others' order.
function putSet (path, value) {
  const i = state.sets.findIndex(([p]) => p === path);
  if (value === null) {
    if (i >= 0) state.sets.splice(i, 1);
  } else if (i >= 0) {
    state.sets[i][1] = value;
  } else {
    state.sets.push([path, value]);
  }
}

function shellQuote (s) {
  return /^[A-Za-z0-9_./:=-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

// ---- small DOM helpers ----

function el (tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function clear (node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function table (node, headers, rows) {
  clear(node);
  const head = el('tr');
  headers.forEach(([label, num]) => head.appendChild(el('th', label, num ? 'num' : '')));
  node.appendChild(head);
  for (const row of rows) node.appendChild(row);
}

function row (cells, attrs) {
  const tr = el('tr');
  for (const [text, cls] of cells) tr.appendChild(el('td', text, cls));
  for (const [k, v] of Object.entries(attrs || {})) tr.setAttribute(k, v);
  return tr;
}

const fmt = (n) => Number(n).toLocaleString('en-US');

// ---- dates ----

const dayOf = (iso) => Math.round(Date.parse(iso + 'T00:00:00Z') / DAY_MS);
const isoOf = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);

function currentDate () {
  return getSet('date') || state.scenario.date;
}

// ---- controls: built once per scenario, then kept in step with the overrides ----

function buildDate (s) {
  const slider = $('date');
  const from = dayOf(s.range.from), to = dayOf(s.range.to);
  slider.min = 0;
  slider.max = to - from;
  $('date-from').textContent = s.range.from;
  $('date-to').textContent = s.range.to;
  const marks = $('date-marks'), list = $('events');
  clear(marks);
  clear(list);
  for (const e of s.events) {
    const opt = el('option');
    opt.value = dayOf(e.date) - from;
    marks.appendChild(opt);
    const li = el('li', e.date + ': ' + e.what);
    li.addEventListener('click', () => { setDate(e.date); });
    list.appendChild(li);
  }
  slider.oninput = () => {
    $('date-label').textContent = isoOf(from + Number(slider.value));
    later(() => setDate(isoOf(from + Number(slider.value))), 120);
  };
  slider.onchange = () => setDate(isoOf(from + Number(slider.value)));
}

function setDate (iso) {
  putSet('date', iso === state.scenario.date ? null : iso);
  changed();
}

function share (value) {
  return (Math.round(Number(value) * 100)) + '%';
}

function buildPopulation (s) {
  const pop = s.population;
  $('generated').hidden = pop.kind === 'explicit';
  const people = $('people');
  clear(people);
  if (pop.kind !== 'explicit') {
    $('users').disabled = pop.kind !== 'generated';
    $('users').onchange = () => {
      const n = String(Math.round(Number($('users').value)));
      putSet('population.users', n === String(pop.users) ? null : n);
      changed();
    };
    for (const [id, key] of [['platform-off', 'platform_off'], ['apps-restricted', 'apps_others_restricted']]) {
      const input = $(id), path = 'population.settings.' + key;
      input.oninput = () => { $(id + '-label').textContent = share(input.value); };
      input.onchange = () => {
        putSet(path, Number(input.value) === pop[key] ? null : String(Number(input.value)));
        changed();
      };
    }
    return;
  }
  people.appendChild(el('p', 'Platform switched on, per person:'));
  for (const u of s.users || []) {
    const label = el('label'), box = el('input');
    box.type = 'checkbox';
    box.dataset.user = u.id;
    box.onchange = () => {
      putSet('population.users[' + u.id + '].settings.platform',
        box.checked === u.platform ? null : String(box.checked));
      changed();
    };
    label.appendChild(box);
    label.appendChild(document.createTextNode(' ' + u.id + ' '));
    const why = el('button', 'explain', 'why');
    why.type = 'button';
    why.dataset.explain = u.id;
    why.onclick = (ev) => { ev.preventDefault(); $('explain-user').value = u.id; explain(); };
    label.appendChild(why);
    people.appendChild(label);
  }
}

const RESPECTS = ['platform', 'apps_others', 'audience'];

function respectsOf (api) {
  const v = getSet('apis[' + api.id + '].respects');
  if (v === undefined) return api.respects;
  try { return JSON.parse(v); } catch (e) { return api.respects; }
}

function buildApis (s) {
  const rows = s.apis.map((api) => {
    const tr = row([[api.id + (api.title ? ' (' + api.title + ')' : '')]]);
    for (const r of RESPECTS) {
      const td = el('td'), box = el('input');
      box.type = 'checkbox';
      box.dataset.api = api.id;
      box.dataset.respects = r;
      box.title = api.id + ' respects ' + r;
      box.onchange = () => {
        const now = RESPECTS.filter((x) => document.querySelector(
          'input[data-api="' + CSS.escape(api.id) + '"][data-respects="' + x + '"]').checked);
        const same = now.join() === RESPECTS.filter((x) => api.respects.includes(x)).join();
        putSet('apis[' + api.id + '].respects', same ? null : JSON.stringify(now));
        changed();
      };
      td.appendChild(box);
      tr.appendChild(td);
    }
    return tr;
  });
  table($('apis'), [['API'], ['platform'], ['apps others use'], ['audience']], rows);
}

// A destination's storage: its own, changed by a whole-object override or by
// location / jurisdiction overrides (what `--set` accepts).
function storageOf (p, d) {
  const base = 'partners[' + p.id + '].destinations[' + d.id + ']';
  let loc = d.location, jur = d.jurisdiction;
  for (const [path, value] of state.sets) {
    if (path === base) {
      try { const o = JSON.parse(value); loc = o.location; jur = o.jurisdiction || null; } catch (e) {}
    } else if (path === base + '.location') {
      loc = value;
    } else if (path === base + '.jurisdiction') {
      jur = value;
    }
  }
  return { base, loc, jur };
}

function putStorage (p, d, loc, jur) {
  const base = 'partners[' + p.id + '].destinations[' + d.id + ']';
  putSet(base, null);
  putSet(base + '.location', null);
  putSet(base + '.jurisdiction', null);
  if (loc === 'device' && d.location !== 'device') {
    // a device destination has no jurisdiction, which --set cannot remove: rewrite it whole
    putSet(base, JSON.stringify({ id: d.id, location: 'device', fields: d.fields }));
  } else if (loc === 'server') {
    if (d.location !== 'server') putSet(base + '.location', 'server');
    if (jur !== d.jurisdiction) putSet(base + '.jurisdiction', jur);
  }
  changed();
}

function buildStorage (s) {
  const rows = [];
  for (const p of s.partners) {
    for (const d of p.destinations) {
      const tr = row([[p.id], [d.id]]);
      const sel = el('select'), jur = el('input', null, 'jur');
      for (const v of ['device', 'server']) { const o = el('option', v); o.value = v; sel.appendChild(o); }
      sel.dataset.partner = p.id;
      sel.dataset.destination = d.id;
      jur.dataset.partner = p.id;
      jur.dataset.destination = d.id;
      jur.maxLength = 2;
      jur.placeholder = p.country || 'US';
      const apply = () => {
        const code = jur.value.trim().toUpperCase() || p.country || 'US';
        putStorage(p, d, sel.value, sel.value === 'server' ? code : null);
      };
      sel.onchange = apply;
      jur.onchange = apply;
      for (const c of [sel, jur]) { const td = el('td'); td.appendChild(c); tr.appendChild(td); }
      rows.push(tr);
    }
  }
  $('storage-count').textContent = rows.length;
  table($('storage'), [['partner'], ['destination'], ['where'], ['country']], rows);
}

function buildExplain (s) {
  const users = $('explain-users'), fields = $('explain-field');
  clear(users);
  for (const u of (s.users || [])) { const o = el('option'); o.value = u.id; users.appendChild(o); }
  while (fields.options.length > 1) fields.remove(1);
  for (const f of s.fields) { const o = el('option', f.id); o.value = f.id; fields.appendChild(o); }
  $('explain-user').value = s.users && s.users.length ? s.users[0].id : 'u0';
  $('explain').textContent = '';
}

// One control per contested claim (/api/claims: what `flowsim claims --format json` prints):
// its alternatives with their evidence and party. Choosing one is `--claim CLAIM=ALT`, the
// override `choices.CLAIM=ALT`; the scenario's own choice (the one in force as written) is no
// override at all.
async function buildClaims (s) {
  const box = $('claims');
  clear(box);
  state.claims = [];
  $('claims-box').hidden = !(s.claims && s.claims.length);
  if ($('claims-box').hidden) return;
  let list;
  try {
    list = await getJson('/api/claims?scenario=' + encodeURIComponent(s.id));
  } catch (e) {
    box.appendChild(el('p', 'cannot read the claims: ' + e.message, 'error'));
    return;
  }
  if (state.scenario !== s) return; // another scenario was picked meanwhile
  state.claims = list.claims;
  for (const c of list.claims) {
    const div = el('div', null, 'claim');
    div.dataset.claim = c.id;
    div.appendChild(el('p', c.question || c.id, 'question'));
    for (const a of c.alternatives) {
      const label = el('label', null, 'alternative'), radio = el('input');
      radio.type = 'radio';
      radio.name = 'claim-' + c.id;
      radio.value = a.id;
      radio.dataset.claim = c.id;
      radio.onchange = () => {
        putSet('choices.' + c.id, a.id === c.chosen ? null : a.id);
        changed();
      };
      label.appendChild(radio);
      label.appendChild(document.createTextNode(' ' + a.id + ' '));
      const kind = a.evidence + (a.party ? ' by ' + a.party : '') +
        (a.id === c.default ? ', the default' : '');
      label.appendChild(el('span', '(' + kind + ')', 'evidence'));
      label.appendChild(el('span', a.summary, 'summary'));
      const sources = (a.sources || []).map((src) =>
        [src.publisher, src.date].filter((x) => x).join(' ') || src.url).filter((x) => x);
      if (sources.length) label.appendChild(el('span', 'Sources: ' + sources.join('; '), 'summary'));
      div.appendChild(label);
    }
    box.appendChild(div);
  }
  syncClaims();
}

function syncClaims () {
  for (const c of state.claims || []) {
    const alt = getSet('choices.' + c.id) || c.chosen;
    for (const radio of document.querySelectorAll('input[data-claim="' + CSS.escape(c.id) + '"]')) {
      radio.checked = radio.value === alt;
    }
  }
}

function buildAbout (s) {
  $('title').textContent = s.title || s.id;
  $('description').textContent = s.description || '';
  const sources = $('sources'), assumptions = $('assumptions');
  clear(sources);
  clear(assumptions);
  for (const url of s.sources || []) {
    const li = el('li'), a = el('a', url);
    if (/^https?:\/\//.test(url)) { a.href = url; a.rel = 'noreferrer noopener'; }
    li.appendChild(a);
    sources.appendChild(li);
  }
  for (const text of s.assumptions || []) assumptions.appendChild(el('li', text));
}

// Puts every control in step with the overrides (after a URL was opened, or a reset).
function syncControls () {
  const s = state.scenario, from = dayOf(s.range.from);
  const date = currentDate();
  $('date').value = dayOf(date) - from;
  $('date-label').textContent = date;
  const past = s.events.filter((e) => e.date <= date);
  $('era').textContent = past.length ? '(after ' + past[past.length - 1].what + ')' : '';
  if (s.population.kind !== 'explicit') {
    $('users').value = getSet('population.users') || s.population.users || '';
    for (const [id, key] of [['platform-off', 'platform_off'], ['apps-restricted', 'apps_others_restricted']]) {
      const v = getSet('population.settings.' + key);
      $(id).value = v !== undefined ? v : s.population[key];
      $(id + '-label').textContent = share($(id).value);
    }
  }
  for (const box of document.querySelectorAll('#people input')) {
    const u = s.users.find((x) => x.id === box.dataset.user);
    const v = getSet('population.users[' + u.id + '].settings.platform');
    box.checked = v !== undefined ? v === 'true' : u.platform;
  }
  for (const api of s.apis) {
    const on = respectsOf(api);
    for (const box of document.querySelectorAll('input[data-api="' + CSS.escape(api.id) + '"]')) {
      box.checked = on.includes(box.dataset.respects);
    }
  }
  for (const p of s.partners) {
    for (const d of p.destinations) {
      const st = storageOf(p, d);
      const sel = document.querySelector('select[data-partner="' + CSS.escape(p.id) + '"][data-destination="' + CSS.escape(d.id) + '"]');
      const jur = document.querySelector('input[data-partner="' + CSS.escape(p.id) + '"][data-destination="' + CSS.escape(d.id) + '"]');
      sel.value = st.loc;
      jur.value = st.jur || '';
      jur.disabled = st.loc !== 'server';
    }
  }
  syncClaims();
  showOverrides();
}

function showOverrides () {
  const args = ['flowsim', 'run', state.scenario.id + '.json'];
  for (const [p, v] of state.sets) {
    // choices.CLAIM=ALT is what --claim CLAIM=ALT adds
    if (p.startsWith('choices.')) args.push('--claim', shellQuote(p.slice(8) + '=' + v));
    else args.push('--set', shellQuote(p + '=' + v));
  }
  $('cli').textContent = args.join(' ');
  const list = $('overrides');
  clear(list);
  state.sets.forEach(([p, v], i) => {
    const li = el('li'), b = el('button', 'remove');
    li.appendChild(el('code', p + '=' + v));
    b.type = 'button';
    b.onclick = () => { state.sets.splice(i, 1); changed(); };
    li.appendChild(b);
    list.appendChild(li);
  });
}

// ---- results ----

let timer = 0;
function later (fn, ms) {
  clearTimeout(timer);
  timer = setTimeout(fn, ms);
}

function changed () {
  clearTimeout(timer);
  const q = query(state.sets);
  history.replaceState(null, '', '?' + q);
  $('share').href = '?' + q;
  syncControls();
  refresh(q);
}

function setStatus (text, error) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

async function getJson (url, signal) {
  const response = await fetch(url, { signal });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function imageLoaded (img, url) {
  return new Promise((resolve) => {
    if (img.dataset.src === url && img.complete) { resolve(); return; }
    img.onload = () => resolve();
    img.onerror = () => resolve();
    img.dataset.src = url;
    img.src = url;
  });
}

async function refresh (q) {
  if (shown.runController) shown.runController.abort();
  const controller = new AbortController();
  shown.runController = controller;
  const started = performance.now();
  $('results').dataset.query = q;
  setStatus('simulating…');
  try {
    // both at once: the server simulates them side by side, on the same kept population
    const diagram = imageLoaded($('diagram'), '/api/diagram?' + q);
    const report = await getJson('/api/run?' + q, controller.signal);
    if (controller.signal.aborted) return;
    showReport(report);
    window.fsimLastTablesMs = Math.round(performance.now() - started);
    await diagram;
    if (controller.signal.aborted) return;
    const ms = Math.round(performance.now() - started);
    window.fsimLastUpdateMs = ms; // the findings, tables and diagram all show the new state
    $('results').dataset.rendered = q;
    setStatus('Updated in ' + ms + ' ms: ' + fmt(report.population.users) + ' simulated users on ' + report.date + '.');
  } catch (e) {
    if (e.name === 'AbortError') return;
    $('results').dataset.rendered = q;
    setStatus(e.message, true);
    return;
  }
  refreshTimeline();
  refreshDiff();
}

// ---- compared with the scenario as written (/api/diff, only while its box is open) ----

async function refreshDiff () {
  const box = $('diff-box');
  const q = query(state.sets);
  if (!box.open || box.dataset.query === q) return;
  box.dataset.query = q;
  clear($('diff-summary'));
  clear($('diff-partners'));
  if (!state.sets.length) {
    $('diff-status').textContent = 'Nothing changed: this is the scenario as written.';
    box.dataset.rendered = q;
    return;
  }
  $('diff-status').textContent = 'comparing…';
  let d;
  try {
    d = await getJson('/api/diff?' + q);
  } catch (e) {
    if (box.dataset.query === q) $('diff-status').textContent = e.message;
    return;
  }
  if (box.dataset.query !== q) return; // a newer state is on its way
  showDiff(d);
  box.dataset.rendered = q;
}

function showDiff (d) {
  const list = $('diff-summary');
  const moved = d.partners.filter((p) => p.people_before !== p.people_after ||
    p.flows_gained || p.flows_lost);
  $('diff-status').textContent = d.changed
    ? 'What the changes did, on the same ' + fmt(d.population.users) + ' people:'
    : 'The changes make no difference to who is reached.';
  const e = d.exposure;
  list.appendChild(el('li', 'People reached by any partner: ' + fmt(e.before) + ' as written, ' +
    fmt(e.after) + ' now (' + fmt(e.newly_exposed) + ' newly, ' + fmt(e.no_longer_exposed) +
    ' no longer).'));
  d.whatif.claims.forEach((c, i) => {
    const was = d.base.claims[i];
    if (was && was.id === c.id && was.in_force !== c.in_force) {
      list.appendChild(el('li', 'Claim ' + c.id + ': ' + was.in_force + ' as written, ' + c.in_force + ' now.'));
    }
  });
  for (const j of d.jurisdictions.filter((x) => x.users_before !== x.users_after ||
    x.without_consent_before !== x.without_consent_after)) {
    list.appendChild(el('li', (j.jurisdiction === 'device' ? 'On the device' : 'Stored in ' + j.jurisdiction) +
      ': ' + fmt(j.users_before) + ' → ' + fmt(j.users_after) + ' users, ' +
      fmt(j.without_consent_before) + ' → ' + fmt(j.without_consent_after) + ' without consent.'));
  }
  list.appendChild(el('li', moved.length + ' of ' + d.partners.length + ' partners changed' +
    (moved.length ? ':' : '.')));
  const rows = moved.map((p) => row([[p.id], [p.in_words, 'words'], [fmt(p.people_before), 'num'],
    [fmt(p.people_after), 'num'], [fmt(p.flows_gained), 'num'], [fmt(p.flows_lost), 'num']],
  { 'data-partner': p.id }));
  table($('diff-partners'), [['partner'], ['in words'], ['people as written', 1], ['now', 1],
    ['flows gained', 1], ['flows lost', 1]], rows);
}

// The timeline does not depend on the date: it is drawn again only when something else changed.
function refreshTimeline () {
  const s = state.scenario;
  const tq = query(state.sets.filter(([p]) => p !== 'date'));
  if (shown.timeline === tq) return;
  shown.timeline = tq;
  const years = (dayOf(s.range.to) - dayOf(s.range.from)) / 365;
  const step = years > 8 ? '6m' : '3m';
  $('timeline').src = '/api/timeline?' + tq + '&format=svg&from=' + s.range.from + '&to=' +
    s.range.to + '&step=' + step;
}

function showReport (r) {
  const partners = r.partners.map((p) => row([
    [p.id + (p.name && p.name !== p.id ? ' (' + p.name + ')' : '')], [p.kind], [p.country || ''],
    [fmt(p.users), 'num'], [fmt(p.users_reached), 'num reached'],
    [fmt(p.users_reached_without_consent), 'num without-consent']
  ], { 'data-partner': p.id, class: p.users_reached ? '' : 'zero' }));
  table($('partners'), [['partner'], ['kind'], ['country'], ['its users', 1], ['users reached', 1],
    ['without consent', 1]], partners);
  const jurs = r.jurisdictions.map((j) => row([
    [j.jurisdiction === 'device' ? 'on the device' : j.jurisdiction],
    [fmt(j.users), 'num'], [fmt(j.users_without_consent), 'num']
  ], { 'data-jurisdiction': j.jurisdiction }));
  table($('jurisdictions'), [['where the data is'], ['users reached', 1], ['without consent', 1]], jurs);
  const fields = r.fields.map((f) => {
    const tr = row([[f.id], [f.sensitive ? 'sensitive' : ''], [fmt(f.users), 'num'],
      [fmt(f.users_without_consent), 'num']], { 'data-field': f.id, title: 'Explain ' + f.id });
    tr.onclick = () => { $('explain-field').value = f.id; explain(); };
    return tr;
  });
  table($('fields'), [['field'], [''], ['users reached', 1], ['without consent', 1]], fields);
  showFindings(r);
  showClaimsInForce(r);
}

function showFindings (r) {
  const list = $('findings');
  clear(list);
  const n = r.population.users;
  const reached = r.partners.filter((p) => p.users_reached > 0)
    .sort((a, b) => b.users_reached_without_consent - a.users_reached_without_consent);
  const none = r.partners.filter((p) => p.users_reached === 0);
  list.appendChild(el('li', reached.length + ' of ' + r.partners.length + ' partners reached someone among the ' + fmt(n) + ' users on ' + r.date + '.'));
  for (const p of reached.slice(0, 3)) {
    list.appendChild(el('li', (p.name || p.id) + ' reached ' + fmt(p.users_reached) + ' users, ' +
      fmt(p.users_reached_without_consent) + ' of them without their consent; ' + fmt(p.users) + (p.users === 1 ? ' uses' : ' use') + ' it themselves.'));
  }
  for (const f of r.fields.filter((x) => x.sensitive && x.users > 0)) {
    list.appendChild(el('li', 'Sensitive: ' + f.id + ' of ' + fmt(f.users) + ' users reached a partner, ' +
      fmt(f.users_without_consent) + ' without consent.'));
  }
  const abroad = r.jurisdictions.filter((j) => j.jurisdiction !== 'device' && j.users > 0);
  if (abroad.length) {
    list.appendChild(el('li', 'Stored on servers in ' + abroad.map((j) => j.jurisdiction + ' (' + fmt(j.users) + ')').join(', ') + '.'));
  }
  if (none.length) {
    list.appendChild(el('li', 'Reached nobody: ' + none.slice(0, 12).map((p) => p.id).join(', ') +
      (none.length > 12 ? ' and ' + (none.length - 12) + ' more' : '') + '.'));
  }
}

// The report's own statement of the claims its numbers rest on (its "claims" member).
function showClaimsInForce (r) {
  const list = $('in-force');
  clear(list);
  $('in-force-box').hidden = !(r.claims && r.claims.length);
  for (const c of r.claims || []) {
    const li = el('li');
    li.dataset.claim = c.id;
    li.dataset.inForce = c.in_force;
    li.appendChild(el('strong', c.id + ': '));
    const how = c.in_force + '; ' + (c.is_default ? 'the default' : 'chosen, the default is ' + c.default) +
      '; ' + c.evidence + (c.party ? ' by ' + c.party : '');
    li.appendChild(document.createTextNode(c.summary + ' (' + how + ')'));
    list.appendChild(li);
  }
}

async function explain () {
  const params = new URLSearchParams(query(state.sets));
  params.append('user', $('explain-user').value.trim());
  if ($('explain-field').value) params.append('field', $('explain-field').value);
  params.append('format', 'text');
  const out = $('explain');
  out.className = '';
  out.textContent = 'explaining…';
  const response = await fetch('/api/explain?' + params.toString());
  if (response.ok) {
    out.textContent = await response.text();
  } else {
    out.className = 'error';
    out.textContent = (await response.json()).error;
  }
  out.scrollIntoView({ block: 'nearest' });
}

// ---- start ----

function pick (id, sets) {
  state.scenario = state.catalog.scenarios.find((s) => s.id === id) || state.catalog.scenarios[0];
  state.sets = sets;
  shown.timeline = null;
  $('scenario').value = state.scenario.id;
  const s = state.scenario;
  buildAbout(s);
  buildDate(s);
  buildPopulation(s);
  buildApis(s);
  buildStorage(s);
  buildExplain(s);
  buildClaims(s);
  changed();
}

async function start () {
  try {
    state.catalog = await getJson('/api/scenarios');
  } catch (e) {
    setStatus('cannot read the scenarios: ' + e.message, true);
    return;
  }
  const sel = $('scenario');
  for (const s of state.catalog.scenarios) {
    const o = el('option', s.title || s.id);
    o.value = s.id;
    sel.appendChild(o);
  }
  sel.onchange = () => pick(sel.value, []);
  $('reset').onclick = () => pick(state.scenario.id, []);
  $('explain-form').onsubmit = (ev) => { ev.preventDefault(); explain(); };
  $('diff-box').ontoggle = () => refreshDiff();
  const url = readUrl();
  pick(url.scenario || 'device-partners-2018', url.sets);
}

document.addEventListener('DOMContentLoaded', start);
