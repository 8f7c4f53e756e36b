// The page: reads pasted text or a dropped file in slices, hands them to the worker, and
// shows one row per document. Only the visible page of rows is in the DOM.
const $ = (id) => document.getElementById(id);
const PAGE = 200;
const SLICE = 4 << 20;

let worker;
let rows = [];
let page = 0;
let busy = false;

function zoneOptions() {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = ['UTC', local, 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'Europe/Moscow',
    'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Australia/Sydney'];
  const sel = $('timezone');
  for (const z of [...new Set(zones)]) {
    const o = document.createElement('option');
    o.value = z;
    o.textContent = z === local ? `${z} (this browser)` : z;
    sel.append(o);
  }
}

function startWorker(timezone) {
  if (worker) worker.terminate();
  worker = new Worker('./worker.js', { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data.type === 'ready') resolve();
      else if (data.type === 'error') reject(new Error(data.message));
    };
    worker.postMessage({ type: 'start', timezone });
  });
}

/** Sends one piece of text and waits for its rows (one piece in flight: memory stays flat). */
function send(text, bytes) {
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data.type === 'rows') {
        rows.push(...data.rows);
        resolve();
      } else if (data.type === 'error') reject(new Error(data.message));
    };
    worker.postMessage({ type: 'chunk', text, bytes });
  });
}

function progress(done, total) {
  const pct = total ? Math.floor((done / total) * 100) : 100;
  $('progress').value = pct;
  const errors = rows.reduce((n, r) => n + (r.error ? 1 : 0), 0);
  $('status').textContent = `${rows.length.toLocaleString()} documents, ${errors.toLocaleString()} errors — ${pct}%`;
}

async function run(source) {
  if (busy) return;
  busy = true;
  rows = [];
  page = 0;
  $('detail').textContent = '';
  try {
    await startWorker($('timezone').value);
    if (typeof source === 'string') {
      await send(source, source.length);
      progress(1, 1);
    } else {
      let carry = '';
      for (let pos = 0; pos < source.size; pos += SLICE) {
        const text = carry + await source.slice(pos, pos + SLICE).text();
        const last = pos + SLICE >= source.size;
        // Cut after the slice's last line end (\n, or a lone \r of a CR-only file; a \n
        // that follows a \r cut here starts the next slice as a blank line, which gives nothing).
        const cut = last ? text.length : Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1;
        carry = text.slice(cut);
        await send(text.slice(0, cut), cut);
        progress(Math.min(pos + SLICE, source.size), source.size);
        if (page === 0) render(); // show the first rows while the rest is read
      }
      if (carry) await send(carry, carry.length);
      progress(1, 1);
    }
  } catch (err) {
    $('status').textContent = `failed: ${err.message}`;
  }
  busy = false;
  render();
  $('done').dataset.count = String(rows.length); // for tests: the run has finished
}

function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  tr.append(td);
  return td;
}

function render() {
  const body = $('rows');
  body.replaceChildren();
  const start = page * PAGE;
  for (const r of rows.slice(start, start + PAGE)) {
    const tr = document.createElement('tr');
    tr.dataset.index = String(r.index);
    if (r.error) {
      tr.className = 'error';
      cell(tr, '');
      cell(tr, 'error');
      const td = cell(tr, r.error);
      td.colSpan = 7;
    } else {
      cell(tr, r.time);
      cell(tr, r.format);
      cell(tr, r.user);
      cell(tr, r.client);
      cell(tr, r.result, r.result.includes('failure') ? 'bad' : '');
      cell(tr, r.reason);
      cell(tr, r.policy);
      cell(tr, r.enforcement);
      const td = cell(tr, '');
      for (const v of r.health) {
        const head = document.createElement('div');
        head.textContent = `${v.validator}: ${v.compliance}`;
        td.append(head);
        for (const it of v.items) {
          const b = document.createElement('span');
          b.className = it.ok ? 'item ok' : 'item fail';
          b.textContent = it.ok ? `✓ ${it.name}` : `✗ ${it.name} ${it.code ?? ''}`;
          td.append(b);
        }
      }
    }
    tr.onclick = () => showDetail(r.index, tr);
    body.append(tr);
  }
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  $('page').textContent = `page ${page + 1} of ${pages}`;
  $('prev').disabled = page === 0;
  $('next').disabled = page + 1 >= pages;
}

function showDetail(index, tr) {
  if (busy) return;
  for (const el of document.querySelectorAll('tr.selected')) el.classList.remove('selected');
  tr.classList.add('selected');
  worker.onmessage = ({ data }) => {
    if (data.type === 'detail') $('detail').textContent = data.json;
  };
  worker.postMessage({ type: 'detail', index });
}

zoneOptions();
$('decode').onclick = () => run($('input').value);
$('file').onchange = () => $('file').files[0] && run($('file').files[0]);
$('prev').onclick = () => { page--; render(); };
$('next').onclick = () => { page++; render(); };
const drop = $('drop');
drop.ondragover = (e) => { e.preventDefault(); drop.classList.add('over'); };
drop.ondragleave = () => drop.classList.remove('over');
drop.ondrop = (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer.files[0]) run(e.dataTransfer.files[0]);
};
