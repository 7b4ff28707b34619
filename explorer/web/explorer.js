// The explorer's page: parameters as sliders, the equilibrium redrawn by the server (which
// draws the tree and the bargaining charts with the report's own code), threshold marks and
// Monte Carlo in the background, and an editor for the scenario's text. Plain JavaScript, no
// build step; served by `parley serve` itself (no other origin is allowed by the page's
// Content-Security-Policy).
'use strict';

const state = {
  index: 0,        // the file shown
  file: null,      // its metadata (GET /api/files/N)
  values: {},      // parameter name -> value in force
  inFlight: false, // a solve request is running
  pending: false,  // another is wanted once it returns
  thresholdRun: 0, // generation of the threshold marks (older answers are dropped)
  thresholdTimer: 0,
  checkTimer: 0,
  checkRun: 0,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json();
  if (!response.ok) {
    const error = new Error(data.error || ('HTTP ' + response.status));
    error.status = response.status;
    throw error;
  }
  return data;
}

function setStatus(text) { $('status').textContent = text; }

// ---- Files and parameters ------------------------------------------------------------

async function loadFiles() {
  const files = await api('GET', '/api/files');
  const select = $('file');
  select.textContent = '';
  for (const f of files) select.append(el('option', { value: String(f.index) }, f.name + ' — ' + f.title));
  select.addEventListener('change', () => openFile(Number(select.value)));
  await openFile(0);
}

async function openFile(index) {
  state.index = index;
  const file = await api('GET', '/api/files/' + index);
  showFile(file, true);
  $('editor').value = file.text;
  markLine(0);
  $('editor-status').textContent = file.editable ? 'Edit the text: it is checked as you type and solved when valid.' : '';
  $('editor-status').className = '';
  await solve();
}

// Shows the file's metadata and rebuilds the sliders; `reset` takes the file's values, else
// each parameter keeps its value when still in range.
function showFile(file, reset) {
  state.file = file;
  $('title').textContent = file.title;
  $('description').textContent = file.description || '';
  $('editor-pane').classList.toggle('hidden', !file.editable);
  const old = state.values;
  state.values = {};
  const box = $('parameters');
  box.textContent = '';
  if (file.parameters.length === 0) box.append(el('p', { class: 'note' }, 'This game has no parameters.'));
  for (const p of file.parameters) {
    let v = p.value;
    if (!reset && p.name in old && (p.min === null || old[p.name] >= p.min) && (p.max === null || old[p.name] <= p.max)) v = old[p.name];
    state.values[p.name] = v;
    box.append(parameterControl(p, v));
  }
  $('montecarlo').classList.toggle('hidden', !file.parameters.some((p) => p.distribution));
  scheduleThresholds();
}

function parameterControl(p, value) {
  const div = el('div', { class: 'param', 'data-name': p.name });
  const head = el('div', { class: 'head' });
  head.append(el('span', { class: 'name' }, p.name), el('span', { class: 'meta' }, p.unit || ''));
  div.append(head);
  if (p.description) div.append(el('div', { class: 'meta' }, p.description));
  div.append(el('div', { class: 'meta' }, 'Source: ' + p.source +
    (p.min !== null || p.max !== null ? ' · range ' + (p.min_text || '−∞') + ' to ' + (p.max_text || '∞') : '')));
  const row = el('div', { class: 'row' });
  const number = el('input', { type: 'number', value: String(value), 'data-name': p.name, 'aria-label': p.name });
  if (p.min !== null) number.min = String(p.min);
  if (p.max !== null) number.max = String(p.max);
  number.step = 'any';
  let slider = null;
  if (p.min !== null && p.max !== null && p.max > p.min) {
    slider = el('input', { type: 'range', min: String(p.min), max: String(p.max), step: String((p.max - p.min) / 1000),
      value: String(value), 'data-name': p.name, 'aria-label': p.name });
    slider.addEventListener('input', () => {
      number.value = slider.value;
      number.classList.remove('bad');
      changeValue(p.name, Number(slider.value));
    });
    row.append(slider);
  }
  number.addEventListener('input', () => {
    const x = Number(number.value);
    const ok = number.value !== '' && Number.isFinite(x) && (p.min === null || x >= p.min) && (p.max === null || x <= p.max);
    number.classList.toggle('bad', !ok);
    if (!ok) return;
    if (slider) slider.value = String(x);
    changeValue(p.name, x);
  });
  row.append(number);
  div.append(row);
  if (slider) div.append(el('div', { class: 'marks', 'data-name': p.name }));
  return div;
}

function changeValue(name, value) {
  state.values[name] = value;
  solve();
  scheduleThresholds();
}

// ---- Solving ---------------------------------------------------------------------------

// At most one solve request at a time; moves made meanwhile are solved once it returns, at
// the latest values.
async function solve() {
  if (state.inFlight) { state.pending = true; return; }
  state.inFlight = true;
  try {
    do {
      state.pending = false;
      const index = state.index;
      const started = performance.now();
      try {
        const r = await api('POST', '/api/files/' + index + '/solve', { values: state.values });
        if (index === state.index) showSolution(r, performance.now() - started);
      } catch (e) {
        setStatus(e.message);
      }
    } while (state.pending);
  } finally {
    state.inFlight = false;
  }
}

function showSolution(r, roundTrip) {
  $('prediction').textContent = r.prediction;
  $('path').textContent = r.path;
  $('payoffs').textContent = r.payoffs.length ? 'Payoffs: ' + r.payoffs.map((p) => p.player + ' ' + p.value).join(', ') : '';
  $('tree').innerHTML = r.tree;  // SVG written by the server's report code (escaped there)
  $('tree-note').textContent = r.tree_note || '';
  const box = $('bargaining');
  box.textContent = '';
  r.bargaining.forEach((step, k) => {
    box.append(el('h2', {}, step.title || 'Bargaining step ' + (k + 1)));
    if (step.summary) box.append(el('p', {}, step.summary));
    if (step.chart) {
      const fig = el('div', { class: 'figure chart' });
      fig.innerHTML = step.chart;
      box.append(fig);
    }
    const table = el('table', { class: 'concepts' });
    const head = el('tr');
    head.append(el('th', {}, 'Solution'));
    for (const p of step.players) head.append(el('th', {}, p));
    head.append(el('th', {}, 'Agreed terms'));
    table.append(head);
    const row = (name, payoffs, terms) => {
      const tr = el('tr');
      tr.append(el('td', {}, name));
      step.players.forEach((_, i) => tr.append(el('td', { class: 'num' }, payoffs[i] || '')));
      tr.append(el('td', {}, terms || ''));
      table.append(tr);
    };
    if (step.disagreement.length) row('Disagreement', step.disagreement, '');
    if (step.ideal.length) row('Ideal', step.ideal, '');
    for (const s of step.solutions) row(s.concept, s.payoffs, s.terms);
    box.append(table);
    for (const n of step.notes) box.append(el('p', { class: 'note' }, n));
  });
  setStatus('solved in ' + r.elapsed_ms.toFixed(1) + ' ms (' + roundTrip.toFixed(0) + ' ms with the page)');
}

// ---- Threshold marks (in the background, one parameter at a time) ------------------------

function scheduleThresholds() {
  clearTimeout(state.thresholdTimer);
  state.thresholdTimer = setTimeout(computeThresholds, 300);
}

async function computeThresholds() {
  const run = ++state.thresholdRun;
  const index = state.index;
  for (const p of state.file.parameters) {
    if (p.min === null || p.max === null || !(p.max > p.min)) continue;
    let r;
    try {
      r = await api('POST', '/api/files/' + index + '/thresholds', { values: state.values, parameter: p.name });
    } catch (e) {
      // A failed search is said so under its slider: no marks would read as "the outcome does
      // not change over this range".
      r = { thresholds: [], error: e.message };
    }
    if (run !== state.thresholdRun || index !== state.index) return;
    const box = document.querySelector('.marks[data-name="' + CSS.escape(p.name) + '"]');
    if (!box) continue;
    box.textContent = '';
    box.classList.toggle('failed', r.error !== undefined);
    if (r.error !== undefined)
      box.append(el('span', { class: 'marks-error', title: r.error }, 'no threshold marks: the search failed (' + r.error + ')'));
    for (const t of r.thresholds) {
      const mark = el('span', { class: 'mark', 'data-value': String(t.value),
        title: p.name + ' = ' + t.text + ': ' + t.below + ' below, ' + t.above + ' above' });
      mark.style.left = (100 * (t.value - p.min) / (p.max - p.min)) + '%';
      box.append(mark);
    }
  }
}

// ---- Monte Carlo -------------------------------------------------------------------------

// The job running for this page, if any: stopped by the Stop button, and when the page goes
// away (a reload, a closed tab), so that it does not hold one of the server's two runs.
let runningJob = null;

function cancelRunningJob() {
  if (runningJob !== null) fetch('/api/jobs/' + runningJob, { method: 'DELETE', keepalive: true }).catch(() => {});
}

async function runMonteCarlo() {
  const button = $('mc-run'), stop = $('mc-stop'), bar = $('mc-progress'), note = $('mc-note'), table = $('mc-result');
  button.disabled = true;
  table.textContent = '';
  bar.hidden = false;
  bar.value = 0;
  note.textContent = 'Sampling the parameters that have a distribution; the others stay at their values here.';
  try {
    const start = await api('POST', '/api/files/' + state.index + '/montecarlo',
      { values: state.values, samples: Number($('mc-samples').value), seed: 1 });
    runningJob = start.job;
    stop.hidden = false;
    let status;
    do {
      await new Promise((resolve) => setTimeout(resolve, 150));
      status = await api('GET', '/api/jobs/' + start.job);
      bar.value = status.progress;
    } while (!status.done);
    const r = status.result;
    if (r.error === 'cancelled') {
      note.textContent = 'Stopped before the end: no result.';
      return;
    }
    if (r.error) throw new Error(r.error);
    note.textContent = r.samples + ' samples (seed ' + r.seed + '): outcome probabilities with 95 % intervals.';
    const head = el('tr');
    head.append(el('th', {}, 'Outcome'), el('th', {}, 'Probability'), el('th', {}, '95 % interval'));
    table.append(head);
    for (const s of r.shares) {
      const tr = el('tr');
      tr.append(el('td', {}, s.outcome), el('td', { class: 'num' }, s.probability.toFixed(3)),
        el('td', { class: 'num' }, s.ci_low.toFixed(3) + ' – ' + s.ci_high.toFixed(3)));
      table.append(tr);
    }
  } catch (e) {
    note.textContent = e.message;
  } finally {
    runningJob = null;
    stop.hidden = true;
    button.disabled = false;
    bar.hidden = true;
  }
}

// ---- Report ------------------------------------------------------------------------------

async function downloadReport() {
  try {
    const response = await fetch('/api/files/' + state.index + '/report', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ values: state.values }) });
    if (!response.ok) throw new Error((await response.json()).error);
    const url = URL.createObjectURL(await response.blob());
    const a = el('a', { href: url, download: state.file.name.replace(/\.[^.]*$/, '') + '-report.html' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    setStatus('report: ' + e.message);
  }
}

// ---- Editor ------------------------------------------------------------------------------

function markLine(bad) {
  const lines = $('editor').value.split('\n').length;
  const gutter = $('gutter');
  gutter.textContent = '';
  for (let i = 1; i <= lines; ++i) {
    const span = el('span', i === bad ? { class: 'bad' } : {}, String(i));
    gutter.append(span, '\n');
  }
  gutter.scrollTop = $('editor').scrollTop;
}

function scheduleCheck() {
  clearTimeout(state.checkTimer);
  markLine(0);
  state.checkTimer = setTimeout(checkText, 250);
}

async function checkText() {
  const run = ++state.checkRun;
  const index = state.index;
  const status = $('editor-status');
  try {
    const r = await api('POST', '/api/files/' + index + '/check', { text: $('editor').value });
    if (run !== state.checkRun || index !== state.index) return;
    if (!r.ok) {
      status.textContent = r.line ? 'line ' + r.line + ', column ' + r.column + ': ' + r.message : r.message;
      status.className = 'bad';
      markLine(r.line || 0);
      return;
    }
    status.textContent = 'Valid: solved with these values (not saved yet).';
    status.className = 'good';
    markLine(0);
    showFile(r.file, false);
    await solve();
  } catch (e) {
    status.textContent = e.message;
    status.className = 'bad';
  }
}

async function save() {
  if (!confirm('Replace ' + state.file.name + ' on disk with the text in the editor?')) return;
  const status = $('editor-status');
  const path = '/api/files/' + state.index + '/save';
  const body = { text: $('editor').value, confirm: true };
  try {
    let r;
    try {
      r = await api('POST', path, body);
    } catch (e) {
      // The file changed on disk since it was read: overwrite it only if asked a second time.
      if (e.status !== 409) throw e;
      if (!confirm(e.message + '\n\nReplace the file on disk with the text in the editor anyway?')) {
        status.textContent = 'Not saved: ' + e.message;
        status.className = 'bad';
        return;
      }
      r = await api('POST', path, { ...body, overwrite: true });
    }
    status.textContent = 'Saved ' + r.saved + ' (' + r.bytes + ' bytes).';
    status.className = 'good';
  } catch (e) {
    status.textContent = 'Not saved: ' + e.message;
    status.className = 'bad';
  }
}

window.addEventListener('DOMContentLoaded', () => {
  $('reset').addEventListener('click', () => { showFile(state.file, true); solve(); });
  $('download').addEventListener('click', downloadReport);
  $('mc-run').addEventListener('click', runMonteCarlo);
  $('mc-stop').addEventListener('click', cancelRunningJob);
  window.addEventListener('pagehide', cancelRunningJob);
  $('editor').addEventListener('input', scheduleCheck);
  $('editor').addEventListener('scroll', () => { $('gutter').scrollTop = $('editor').scrollTop; });
  $('save').addEventListener('click', save);
  loadFiles().catch((e) => setStatus(e.message));
});
