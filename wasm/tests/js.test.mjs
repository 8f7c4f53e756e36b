// The JS package (wasm-bindgen, Node build) against the native golden files, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { goldenCases, root, sameText, withoutId } from './golden.mjs';

const require = createRequire(import.meta.url);
// Through the package's own package.json, as a user's require('nps-enrich') would.
const pkg = require(join(root, 'wasm', 'npm'));

test('lines() equals the CLI on every golden input', () => {
  for (const c of goldenCases()) {
    const t = new pkg.Transformer({ timezone: c.zone, ...(c.fields && { fields: c.fields }) });
    sameText(t.lines(c.text), c.expected, c.name);
  }
});

test('line() gives one document; blank gives ""; bad input never throws', () => {
  const t = new pkg.Transformer();
  const doc = JSON.parse(t.line('10.0.0.1,alice,01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0'));
  assert.equal(doc['@timestamp'], '2008-01-17T13:13:40+00:00'); // WASM default zone: UTC
  assert.equal(doc.event.action, 'access-request'); // Packet-Type 1
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

// The rows of the "what was wrong" table of the argument-checking change, each a test that
// failed on the binding before it.

const IAS = '10.0.0.1,alice,01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0';
/** An IAS line exactly `n` UTF-16 units long: its user name padded with `pad`. */
function iasLine(n, pad = 'x') {
  const head = '10.0.0.1,', tail = ',01/17/2008,13:13:40,IAS,NPS1,4136,1,4142,0';
  const room = n - head.length - tail.length;
  assert.ok(room >= 1);
  const user = pad.repeat(Math.ceil(room / pad.length)).slice(0, room);
  return head + user + tail;
}
const doc = (s) => JSON.parse(s);
/** The Transformer still gives the right document (after an error). */
function stillWorks(t, label) {
  assert.equal(doc(t.line(IAS)).event.action, 'access-request', label);
}

test('maxLineBytes: a longer line gives a line_too_long error document, as the CLI (line and lines)', () => {
  const t = new pkg.Transformer({ maxLineBytes: 64 });
  const long = IAS + ',' + 'x'.repeat(100);
  for (const got of [t.line(long), t.line(long + '\r\n'), t.lines(long + '\n').trimEnd()]) {
    const d = doc(got);
    assert.equal(d.error.type, 'line_too_long');
    assert.equal(d.error.message,
      `line of ${long.length} bytes is longer than the limit of 64 bytes; event.original holds its first 65 bytes`);
    assert.equal(d.event.original, long.slice(0, 65));
  }
  // A line longer than lines()'s pieces (2^20 UTF-16 units): only its start is kept.
  const huge = 'y'.repeat(3_000_000);
  const [a, b] = t.lines(huge + '\r' + IAS).trimEnd().split('\n').map(doc);
  assert.equal(a.error.type, 'line_too_long');
  assert.match(a.error.message, /^line of 3000000 bytes /);
  assert.equal(a.event.original, 'y'.repeat(65));
  assert.equal(b.event.kind, 'event');
  // The default is 1 MiB.
  assert.equal(doc(new pkg.Transformer().line('z'.repeat(2 ** 20 + 1))).error.type, 'line_too_long');
  assert.equal(doc(new pkg.Transformer().line('z'.repeat(2 ** 20))).error.type, 'unknown_format');
});

const notStrings = [
  ['number', 123], ['object', {}], ['boolean', true], ['bigint', 10n], ['symbol', Symbol('s')],
  ['function', () => 1], ['undefined', undefined], ['null', null], ['an array', ['x']],
  ['object', new String('x')],
];

test('line(), lines(), transform() throw a TypeError naming the argument for a non-string, never a wasm trap', () => {
  const t = new pkg.Transformer();
  for (const [what, v] of notStrings) {
    for (const [name, call] of [['line', () => t.line(v)], ['lines', () => t.lines(v)],
      ['transform', () => pkg.transform(v)]]) {
      assert.throws(call, (e) => e instanceof TypeError
        && e.message === `${name}: text must be a string, got ${what}`, `${name}(${what})`);
      stillWorks(t, `after ${name}(${what})`);
    }
  }
  assert.throws(() => t.line(), /^TypeError: line: text must be a string, got undefined$/);
});

test('fields: compact (default) writes each fact once; full keeps every raw attribute', () => {
  const line = '10.0.0.1,alice,01/17/2008,13:13:40,IAS,NPS1,4136,3,4142,16';
  const compact = JSON.parse(new pkg.Transformer().line(line));
  const full = JSON.parse(new pkg.Transformer({ fields: 'full' }).line(line));
  // Packet-Type 3 = Access-Reject; Reason-Code 16 = authentication failed (credentials).
  assert.equal(compact.event.action, 'access-reject'); // the packet type's one rendering
  assert.equal(compact.nps.packet_type, undefined);
  assert.equal(full.nps.packet_type.code, 3);
  assert.equal(compact.nps.reason.code, 16);
  assert.equal(compact.nps.attributes, undefined); // both attributes are typed
  assert.equal(compact.nps.reason.text, undefined); // the text is event.reason
  assert.equal(typeof compact.event.reason, 'string');
  assert.deepEqual(full.nps.attributes, { 'Packet-Type': '3', 'Reason-Code': '16' });
  assert.equal(full.nps.reason.text, compact.event.reason);
});

test('options of the wrong type throw a TypeError naming the option; bad values a RangeError', () => {
  const cases = [
    [{ timezone: 9 }, TypeError, 'option timezone must be a string, got number'],
    [{ timezone: null }, TypeError, 'option timezone must be a string, got null'],
    [{ timezone: 'Nowhere/Special' }, RangeError, "option timezone: unknown time zone 'Nowhere/Special'"],
    [{ timezone: 'local' }, RangeError, "option timezone: 'local' is not available in WebAssembly"],
    [{ keepOriginal: 'yes' }, TypeError, 'option keepOriginal must be a boolean, got string'],
    [{ keepOriginal: 1 }, TypeError, 'option keepOriginal must be a boolean, got number'],
    [{ format: 5 }, TypeError, 'option format must be a string, got number'],
    [{ format: 'csv' }, RangeError, "unknown format 'csv'"],
    [{ maxLineBytes: '64' }, TypeError, 'option maxLineBytes must be a number, got string'],
    [{ maxLineBytes: 64n }, TypeError, 'option maxLineBytes must be a number, got bigint'],
    ...[0, -1, 1.5, NaN, Infinity, 2 ** 32].map((n) =>
      [{ maxLineBytes: n }, RangeError, `option maxLineBytes must be an integer from 1 to 4294967295, got ${n}`]),
    [{ fields: true }, TypeError, 'option fields must be a string, got boolean'],
    [{ fields: 'everything' }, RangeError, "option fields: unknown field profile 'everything'"],
    [{ timeZone: 'Asia/Tokyo' }, TypeError, "unknown option 'timeZone'"],
    ['UTC', TypeError, 'options must be an object, got string'],
    [9, TypeError, 'options must be an object, got number'],
    [[], TypeError, 'options must be an object, got an array'],
    [() => ({}), TypeError, 'options must be an object, got function'],
  ];
  const t = new pkg.Transformer();
  for (const [o, type, message] of cases) {
    for (const [name, call] of [['Transformer', () => new pkg.Transformer(o)],
      ['transform', () => pkg.transform(IAS, o)]]) {
      assert.throws(call, (e) => e instanceof type && e.message.startsWith(`${name}: ${message}`),
        `${name}(${typeof o === 'function' ? 'a function' : JSON.stringify(o, (_, v) => typeof v === 'bigint' ? `${v}n` : v)}): want ${type.name} "${message}"`);
    }
    stillWorks(t);
  }
  // A getter that throws passes its exception on; no trap, nothing left borrowed.
  assert.throws(() => new pkg.Transformer({ get timezone() { throw new Error('boom'); } }), /^Error: boom$/);
  // Absent options, and each option at its limits, are fine.
  for (const o of [undefined, null, {}, { maxLineBytes: 2 ** 32 - 1 },
    { format: 'auto', keepOriginal: false, timezone: 'UTC' }, Object.create({ timezone: 'Asia/Tokyo' })]) {
    stillWorks(new pkg.Transformer(o), JSON.stringify(o));
  }
  assert.equal(doc(new pkg.Transformer({ maxLineBytes: 1 }).line('ab')).error.type, 'line_too_long');
  assert.equal(doc(new pkg.Transformer(Object.create({ timezone: 'Asia/Tokyo' })).line(IAS))['@timestamp'],
    '2008-01-17T13:13:40+09:00', 'options read through their properties (inherited too)');
});

test('lines() on a 300 MB chunk throws a RangeError naming the size and the limit; the Transformer works after', () => {
  const line = iasLine(99) + '\n';
  const text = line.repeat(Math.ceil(300e6 / line.length));
  const t = new pkg.Transformer();
  assert.throws(() => t.lines(text), (e) => e instanceof RangeError
    && e.message.includes('longer than 536870888 bytes, the longest string JavaScript allows')
    && e.message.includes(`of the text's ${text.length} characters`)
    && e.message.includes('split the text at line ends'), 'RangeError');
  stillWorks(t);
  assert.equal(t.lines(line + line).split('\n').length, 3);
  // A text as big whose documents fit is fine: it is read in pieces, a line kept only up to
  // maxLineBytes.
  const [a, b] = t.lines('x'.repeat(300e6) + '\r\n' + IAS).trimEnd().split('\n').map(doc);
  assert.equal(a.error.message,
    'line of 300000000 bytes is longer than the limit of 1048576 bytes; event.original holds its first 1024 bytes');
  assert.equal(b.event.action, 'access-request');
  // line() with a limit as high as it goes: a 90 MB line of control characters (each
  // written \u0001) would be a 540 MB document.
  const u = new pkg.Transformer({ maxLineBytes: 2 ** 32 - 1 });
  assert.throws(() => u.line('\x01'.repeat(90e6)), (e) => e instanceof RangeError
    && e.message.includes('longer than 536870888 bytes') && e.message.includes('smaller maxLineBytes'));
  stillWorks(u);
});

test('lines() splits at \\n, \\r\\n and a lone \\r (the library\'s one rule); blank lines give nothing', () => {
  const t = new pkg.Transformer({ keepOriginal: true });
  const [a, b, c, d] = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((ip) => IAS.replace('10.0.0.1', ip));
  const out = t.lines(`${a}\r${b}\r\n\r\n\r  \r${c}\n\n${d}`);
  const docs = out.trimEnd().split('\n').map(doc);
  assert.deepEqual(docs.map((x) => x.event.original), [a, b, c, d]);
  assert.ok(out.endsWith('\n'));
  assert.equal(pkg.transform(`${a}\r${b}`).trimEnd().split('\n').length, 2);
});

test('line() with a line end inside gives one multiple_lines error document; a trailing one is dropped', () => {
  const t = new pkg.Transformer();
  for (const text of [`${IAS}\r${IAS}`, `${IAS}\n${IAS}`, `${IAS}\r\n${IAS}\r\n`]) {
    const d = doc(t.line(text));
    assert.equal(d.error.type, 'multiple_lines', JSON.stringify(text));
    assert.equal(d.event.original, text.replace(/[\r\n]+$/, ''));
    assert.match(d.error.message, /holds 2 lines/);
  }
  for (const text of [`${IAS}\r`, `${IAS}\n`, `${IAS}\r\n`]) {
    assert.equal(t.line(text), t.line(IAS), JSON.stringify(text));
  }
});

test('lines() reads its text in pieces: line ends and surrogate pairs across piece boundaries split as one text', () => {
  const PIECE = 2 ** 20; // UTF-16 units lines() copies into WebAssembly memory at a time
  const parts = [];
  let at = 0;
  const add = (s) => { parts.push(s); at += s.length; };
  // A \r\n whose \r ends piece 1 and whose \n starts piece 2.
  add(iasLine(PIECE - 1)); add('\r\n');
  // A surrogate pair (😀) whose high half would end piece 2.
  const head = '10.0.0.1,';
  add(head + 'u'.repeat(2 * PIECE - 1 - at - head.length) + '😀' + IAS.slice(IAS.indexOf(',', 9))); add('\n');
  // So piece 2 ends before the pair and piece 3 is [2^21 - 1, 3 * 2^20 - 1): a lone \r
  // ending piece 3, the next line starting piece 4.
  add(iasLine(3 * PIECE - 2 - at, 'é')); add('\r');
  assert.equal(at, 3 * PIECE - 1);
  add(IAS); add('\r'); add(IAS);
  const text = parts.join('');
  assert.equal(text.charCodeAt(PIECE - 1), 13);
  assert.equal(text.charCodeAt(PIECE), 10);
  assert.equal(text.codePointAt(2 * PIECE - 1), 0x1F600);
  assert.equal(text.charCodeAt(3 * PIECE - 2), 13);

  const t = new pkg.Transformer({ maxLineBytes: 8 * PIECE, keepOriginal: true });
  const want = text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '').map((l) => t.line(l) + '\n').join('');
  const got = t.lines(text);
  assert.equal(got.split('\n').length, 6);
  // line() knows no place, lines() does (it goes into event.id): the rest is the same.
  const noIds = (s) => s.split('\n').map(withoutId).join('\n');
  assert.ok(noIds(got) === noIds(want), 'lines() differs from line() per line');
  assert.ok(got.includes('😀'), 'the pair is kept whole');
  assert.ok(!got.includes('\\ufffd') && !got.includes('\ufffd'));
});

test('TypeScript types: line(text: string): string and the options interface', () => {
  for (const build of ['node', 'web']) {
    const dts = readFileSync(join(root, 'wasm', 'npm', build, 'nps_enrich_wasm.d.ts'), 'utf8');
    for (const sig of ['line(text: string): string;', 'lines(text: string): string;',
      'constructor(options?: TransformOptions | null);',
      'export function transform(text: string, options?: TransformOptions | null): string;',
      'export interface TransformOptions', 'timezone?: string;', 'maxLineBytes?: number;',
      'linesBytes(bytes: Uint8Array): Uint8Array;', 'feed(chunk: Uint8Array): Uint8Array;',
      'flush(): Uint8Array;']) {
      assert.ok(dts.includes(sig), `${build}: ${sig}`);
    }
    // The public API (the web build's init types after it type the raw exports).
    const api = dts.split('export type InitInput')[0].replace(/\/\*[\s\S]*?\*\//g, '');
    assert.ok(!/\bany\b/.test(api), `${build}: no any in ${api}`);
  }
});

test('an exception from JS during a call (a replaced String.prototype method) leaves the Transformer usable', () => {
  const t = new pkg.Transformer();
  const substring = String.prototype.substring;
  String.prototype.substring = function () { throw new Error('replaced'); };
  try {
    assert.throws(() => t.lines(IAS + '\n' + IAS), /^Error: replaced$/);
  } finally {
    String.prototype.substring = substring;
  }
  stillWorks(t);
  assert.equal(t.lines(IAS + '\n' + IAS).split('\n').length, 3);
});

test('event.id: lines() gives each line its place, so the same line twice gets two ids; line() knows no place', () => {
  const t = new pkg.Transformer();
  const id = (doc) => JSON.parse(doc).event.id;
  const [a, b] = t.lines(`${IAS}\n${IAS}\n`).trimEnd().split('\n').map(id);
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.notEqual(a, b, 'two places, two ids');
  assert.equal(id(t.lines(`${IAS}\n`)), a, 'the same line at the same place: the same id');
  assert.equal(id(t.line(IAS)), id(t.line(IAS)));
  assert.notEqual(id(t.line(IAS)), a, 'no place is not place 0');
});

// Bytes in, bytes out: linesBytes(), feed()/flush() and the stream (nps-enrich/stream).

const { createTransform } = require(join(root, 'wasm', 'npm', 'stream.js'));
const utf8 = (b) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');
/** `bytes` fed in chunks of `size` bytes, then flushed: the output, as one Buffer. */
function fed(t, bytes, size) {
  const parts = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(t.feed(bytes.subarray(i, i + size)));
  parts.push(t.flush());
  return Buffer.concat(parts);
}

test('linesBytes() and feed() in chunks of any size equal the CLI on every golden input, byte for byte', () => {
  for (const c of goldenCases()) {
    const t = new pkg.Transformer({ timezone: c.zone, ...(c.fields && { fields: c.fields }) });
    // The file's own bytes, as the CLI reads them.
    const bytes = readFileSync(join(root, 'tests', 'golden', c.name));
    const got = t.linesBytes(bytes);
    assert.ok(got instanceof Uint8Array);
    sameText(utf8(got), c.expected, `linesBytes ${c.name}`);
    for (const size of [1, 7, 4096, bytes.length + 1]) {
      sameText(fed(t, bytes, size).toString('utf8'), c.expected, `feed by ${size} ${c.name}`);
    }
  }
});

test('feed(): a line, a \\r\\n, a UTF-8 sequence and an over-long line cut across chunks read as one stream', () => {
  const t = new pkg.Transformer({ maxLineBytes: 64, keepOriginal: true });
  const text = `${IAS.replace('alice', 'zoë😀')}\r\n${IAS}\r${'x'.repeat(200)}\n\n${IAS}`;
  const bytes = Buffer.from(text);
  const want = t.lines(text);
  for (let cut = 1; cut < bytes.length; cut++) {
    const got = Buffer.concat([t.feed(bytes.subarray(0, cut)), t.feed(bytes.subarray(cut)), t.flush()]);
    assert.ok(got.toString('utf8') === want, `cut at byte ${cut}`);
  }
  // Places count from the stream's start: the same line at two places, two ids.
  const id = (b) => JSON.parse(utf8(b)).event.id;
  const a = id(t.feed(Buffer.from(IAS + '\n')));
  const b = id(t.feed(Buffer.from(IAS + '\n')));
  assert.notEqual(a, b);
  assert.equal(t.flush().length, 0);
  // After flush() the next feed() is a new stream: place 0 again.
  assert.equal(id(t.feed(Buffer.from(IAS + '\n'))), a);
  t.flush();
});

test('linesBytes(): bytes that are not UTF-8 become U+FFFD, as in the CLI; lines() gives the same for text', () => {
  const t = new pkg.Transformer({ keepOriginal: true });
  const [head, tail] = IAS.split('alice');
  const bytes = Buffer.concat([Buffer.from(head + 'al'), Buffer.from([0xff, 0xc3]), Buffer.from(tail + '\n')]);
  const d = JSON.parse(utf8(t.linesBytes(bytes)));
  assert.equal(d.user.name, 'al\ufffd\ufffd');
  assert.equal(utf8(t.linesBytes(Buffer.from(IAS + '\n'))), t.lines(IAS + '\n'));
  assert.equal(t.linesBytes(new Uint8Array(0)).length, 0);
  assert.equal(t.linesBytes(Buffer.from(' \r\n\n')).length, 0);
});

test('linesBytes() and feed() throw a TypeError for anything but a Uint8Array; the Transformer works after', () => {
  const t = new pkg.Transformer();
  for (const [what, v] of [['string', IAS], ['number', 1], ['object', new ArrayBuffer(4)],
    ['an array', [65]], ['null', null], ['undefined', undefined], ['object', new Uint16Array(2)]]) {
    for (const name of ['linesBytes', 'feed']) {
      assert.throws(() => t[name](v), (e) => e instanceof TypeError
        && e.message === `${name}: bytes must be a Uint8Array (or a Buffer), got ${what}`, `${name}(${what})`);
      stillWorks(t, `after ${name}(${what})`);
    }
  }
  // A subclass, and a view into a bigger buffer: only its own bytes.
  const big = Buffer.from(`junk\n${IAS}\njunk`);
  const view = new Uint8Array(big.buffer, big.byteOffset + 5, IAS.length + 1);
  assert.equal(utf8(t.linesBytes(view)), t.lines(IAS + '\n'));
});

test('createTransform() (nps-enrich/stream): Buffers in, the CLI\'s bytes out', async () => {
  const { Readable } = await import('node:stream');
  const { pipeline } = await import('node:stream/promises');
  const c = goldenCases().find((g) => g.name.startsWith('winevent/'));
  const bytes = readFileSync(join(root, 'tests', 'golden', c.name));
  const parts = [];
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 333) chunks.push(bytes.subarray(i, i + 333));
  await pipeline(Readable.from(chunks), createTransform({ timezone: c.zone }), async function* (src) {
    for await (const b of src) { assert.ok(Buffer.isBuffer(b)); parts.push(b); }
  });
  sameText(Buffer.concat(parts).toString('utf8'), c.expected, c.name);
  assert.throws(() => createTransform({ timezone: 'Nowhere/Special' }), RangeError);
  assert.throws(() => createTransform({ timeZone: 'UTC' }), TypeError);
});
