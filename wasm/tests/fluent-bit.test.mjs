// The real Fluent Bit module (wasm32-wasip1), instantiated with node:wasi and driven the way
// Fluent Bit's filter_wasm drives it: copy tag and record into module memory with the
// module's malloc, call the filter, read the NUL-terminated JSON it returns, free the copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { goldenCases, linesAt, recordFor, root, sameText, withoutId } from './golden.mjs';

const wasmPath = process.env.NPS_FLUENT_BIT_WASM
  ?? join(root, 'target', 'wasm32-wasip1', 'wasm-fluent-bit', 'nps_enrich_wasm.wasm');

async function load() {
  const wasi = new WASI({ version: 'preview1', args: [], env: {} });
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  wasi.initialize(instance); // calls the module's _initialize, as WAMR does
  const x = instance.exports;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const copyIn = (bytes) => {
    const p = x.malloc(bytes.length + 1);
    const mem = new Uint8Array(x.memory.buffer);
    mem.set(bytes, p);
    mem[p + bytes.length] = 0;
    return p;
  };
  return {
    exports: x,
    call(record) {
      const tag = enc.encode('nps.log');
      const tagPtr = copyIn(tag);
      const rec = record === null ? null : enc.encode(record);
      const recPtr = rec === null ? 0 : copyIn(rec);
      const out = x.nps_enrich_filter(tagPtr, tag.length, 1_700_000_000, 0, recPtr, rec ? rec.length : 0);
      const mem = new Uint8Array(x.memory.buffer); // the call may have grown memory
      let end = out;
      while (mem[end] !== 0) end++;
      const text = dec.decode(mem.subarray(out, end));
      x.free(tagPtr);
      if (recPtr) x.free(recPtr);
      return text;
    },
  };
}

test('exports what Fluent Bit needs', async () => {
  const m = await WebAssembly.compile(readFileSync(wasmPath));
  const names = WebAssembly.Module.exports(m).map((e) => e.name).sort();
  assert.deepEqual(names, ['_initialize', 'free', 'malloc', 'memory', 'nps_enrich_filter', 'nps_enrich_filter_full', 'nps_enrich_version']);
});

test('the module names the npm package version', async () => {
  const { exports: x } = await load();
  const mem = new Uint8Array(x.memory.buffer);
  const p = x.nps_enrich_version();
  let end = p;
  while (mem[end] !== 0) end++;
  const version = new TextDecoder().decode(mem.subarray(p, end));
  assert.equal(version, JSON.parse(readFileSync(join(root, 'wasm/npm/package.json'), 'utf8')).version);
});

test('every golden line gives the native document', async () => {
  const f = await load();
  let n = 0;
  for (const c of goldenCases()) {
    if (c.fields) continue; // the -full cases: tests/fluent_bit.rs runs them through nps_enrich_filter_full
    const want = c.expected.split('\n').filter((l) => l !== '');
    const recs = linesAt(c.text)
      .map(({ line, at }) => ({ line, at, doc: f.call(recordFor(line, c.zone, at)) }))
      .filter(({ line, doc }) => {
        if (doc !== '') return true;
        // Dropped (""): only an envelope around a blank line is, as the CLI skips it.
        const v = JSON.parse(line);
        assert.equal((v.message ?? v.log).trim(), '', `${c.name}: ${line}`);
        return false;
      });
    assert.equal(recs.length, want.length, c.name);
    for (let i = 0; i < recs.length; i++) {
      // A tail record's offset comes back last in the document; a record that is a JSON
      // object itself (an event map) has no place, so its id is made without one.
      const { at, doc } = recs[i];
      const tail = `,"offset":${at}}`;
      const [got, exp] = doc.endsWith(tail)
        ? [doc.slice(0, -tail.length) + '}', want[i]]
        : [withoutId(doc), withoutId(want[i])];
      sameText(got, exp, `${c.name} line ${i + 1}`);
    }
    n += recs.length;
  }
  assert.ok(n >= 100, `${n} lines`);
});

test('no record, odd records: one JSON object, never a crash; a blank one is dropped', async () => {
  const f = await load();
  for (const r of [null, '{}', '[1,2]', 'not json', '{"log":' + '['.repeat(5000) + '}']) {
    const doc = JSON.parse(f.call(r));
    assert.equal(doc.event.kind, 'pipeline_error', String(r).slice(0, 40));
  }
  // A blank line (as the CLI skips it): the empty string, which makes Fluent Bit drop it.
  for (const r of ['', '{"log":""}', '{"log":" \\r","offset":3}', '{"message":"\\ufeff"}']) {
    assert.equal(f.call(r), '', r);
  }
  // Memory stays flat over many calls: one reused output buffer, copies freed.
  const before = f.exports.memory.buffer.byteLength;
  const line = JSON.stringify({ log: '192.168.10.4,,01/17/2008,13:13:40,IAS,NAPNPS,4136,2,4142,0' });
  for (let i = 0; i < 20000; i++) f.call(line);
  assert.ok(f.exports.memory.buffer.byteLength <= before + 65536, 'memory grew');
});

test('a record whose log holds a lone \\r gives one multiple_lines error document; a trailing \\r is a normal line', async () => {
  const f = await load();
  const a = '192.168.10.4,,01/17/2008,13:13:40,IAS,NAPNPS,4136,1,4142,0';
  const b = '192.168.10.4,,01/17/2008,13:13:41,IAS,NAPNPS,4136,2,4142,0';
  // Fluent Bit's tail splits at \n only: two lines that ended at a lone \r arrive glued.
  const glued = JSON.parse(f.call(JSON.stringify({ log: `${a}\r${b}`, path: 'IN.log' })));
  assert.equal(glued.error.type, 'multiple_lines');
  assert.equal(glued.event.original, `${a}\r${b}`);
  assert.match(glued.error.message, /holds 2 lines/);
  assert.equal(glued.path, 'IN.log', 'the record\'s other keys are kept');
  // The CR of a CRLF file, left in log by tail: the line's own document.
  const crlf = f.call(JSON.stringify({ log: `${a}\r` }));
  assert.equal(crlf, f.call(JSON.stringify({ log: a })));
  assert.equal(JSON.parse(crlf)['@timestamp'], '2008-01-17T13:13:40+00:00');
});
