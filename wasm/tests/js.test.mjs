// The JS package (wasm-bindgen, Node build) against the native golden files, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { goldenCases, root, sameText } from './golden.mjs';

const require = createRequire(import.meta.url);
// Through the package's own package.json, as a user's require('nps-enrich') would.
const pkg = require(join(root, 'wasm', 'npm'));

test('lines() equals the CLI on every golden input', () => {
  for (const c of goldenCases()) {
    const t = new pkg.Transformer({ timezone: c.zone });
    sameText(t.lines(c.text), c.expected, c.name);
  }
});

test('line() gives one document; blank gives ""; bad input never throws', () => {
  const t = new pkg.Transformer();
  const doc = JSON.parse(t.line('10.0.0.1,alice,01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0'));
  assert.equal(doc['@timestamp'], '2008-01-17T13:13:40+00:00'); // WASM default zone: UTC
  assert.equal(doc.nps.packet_type.name, 'Access-Request');
  assert.equal(t.line('   '), '');
  const err = JSON.parse(t.line('\u0000garbage'));
  assert.equal(err.event.kind, 'pipeline_error');
  assert.equal(err.event.original, '\u0000garbage');
});

test('options: zones by name and offset, keepOriginal, format; bad options throw', () => {
  const line = '10.0.0.1,alice,07/17/2008,13:13:40,IAS,NPS1,4136,1';
  assert.equal(JSON.parse(new pkg.Transformer({ timezone: 'Europe/Berlin' }).line(line))['@timestamp'],
    '2008-07-17T13:13:40+02:00');
  assert.equal(JSON.parse(new pkg.Transformer({ timezone: '-05:00' }).line(line))['@timestamp'],
    '2008-07-17T13:13:40-05:00');
  assert.equal(JSON.parse(new pkg.Transformer({ keepOriginal: true }).line(line)).event.original, line);
  assert.equal(JSON.parse(new pkg.Transformer({ format: 'odbc' }).line(line)).error.type, 'parse_error');
  assert.throws(() => new pkg.Transformer({ timezone: 'Nowhere/Special' }), /time zone/);
  assert.throws(() => new pkg.Transformer({ format: 'csv' }), /format/);
  assert.equal(pkg.transform(line + '\n\n' + line, { timezone: 'UTC' }).split('\n').length, 3);
  // One version for the crate, the CLI, the npm package and the Fluent Bit module.
  assert.equal(pkg.version(), JSON.parse(readFileSync(join(root, 'wasm/npm/package.json'), 'utf8')).version);
});
