// Throughput of the JS package against the native CLI on the same input, in one run.
// Usage: node benches/js-vs-native.mjs [MB] [rounds]   (after `cargo build --release
// --examples` and wasm/build.sh)
// Per core: the CLI runs with -j1, as the JS package has one thread. Each round runs, in
// turn, the CLI (whole process, its output collected by Node through a pipe) and each JS
// path on the same file; every JS figure is a ratio to the CLI of its own round, and the
// median, least and greatest of those ratios are printed.
//   string   t.lines(text): the file's text already one JS string, the result one JS string
//            (as this bench measured before linesBytes)
//   bytes    t.linesBytes(buffer): the file's bytes already in a Buffer, the result a Uint8Array
//   stream   fs.createReadStream(file) piped through createTransform() (nps-enrich/stream),
//            the output Buffers collected: the file read in the time, as the CLI reads it
import { readFileSync, writeFileSync, mkdirSync, createReadStream } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mb = Number(process.argv[2] ?? 20);
const rounds = Number(process.argv[3] ?? 5);
const require = createRequire(import.meta.url);
const pkg = require(join(root, 'wasm', 'npm'));
const { createTransform } = require(join(root, 'wasm', 'npm', 'stream.js'));

// A mix: the generated IAS/ODBC/DTS corpus plus every Windows event shape.
const corpus = execFileSync(join(root, 'target/release/examples/gen_corpus'), ['mixed', '20000'], { maxBuffer: 1 << 30 }).toString();
const events = ['denial-6273-shapes.in', 'grant-6272-shapes.in']
  .map((f) => readFileSync(join(root, 'tests/golden/winevent', f), 'utf8')).join('');
let text = '';
while (text.length < mb * 1e6) text += corpus + events;
mkdirSync(join(root, 'target/bench'), { recursive: true });
const file = join(root, 'target/bench/js-vs-native.log');
writeFileSync(file, text);
// Flat, as read from a file (the concatenation above is a rope).
text = readFileSync(file, 'utf8');
const input = readFileSync(file);
const bytes = input.length;

const now = () => process.hrtime.bigint();
const secs = (t0) => Number(now() - t0) / 1e9;
const t = new pkg.Transformer({ timezone: 'UTC' });

function native() {
  const t0 = now();
  const out = execFileSync(join(root, 'target/release/nps-enrich'), ['-t', 'UTC', '-j1', file], { maxBuffer: 2 ** 31 - 1 });
  return [secs(t0), out];
}
function string() {
  const t0 = now();
  const out = t.lines(text);
  return [secs(t0), out];
}
function bytesApi() {
  const t0 = now();
  const out = t.linesBytes(input);
  return [secs(t0), out];
}
function stream() {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const parts = [];
    createReadStream(file).pipe(createTransform({ timezone: 'UTC' }))
      .on('data', (b) => parts.push(b))
      .on('end', () => resolve([secs(t0), Buffer.concat(parts)]))
      .on('error', reject);
  });
}

const paths = [['string', string], ['bytes', bytesApi], ['stream', stream]];
const times = { native: [] };
const ratios = {};
for (const [name] of paths) { times[name] = []; ratios[name] = []; }
let lines = 0;
for (let r = 0; r < rounds; r++) {
  const [n, want] = native();
  times.native.push(n);
  if (r === 0) lines = want.toString('latin1').split('\n').length - 1;
  for (const [name, run] of paths) {
    const [s, got] = await run();
    const same = typeof got === 'string' ? got === want.toString() : Buffer.compare(Buffer.from(got.buffer, got.byteOffset, got.length), want) === 0;
    if (!same) throw new Error(`${name}: the JS output differs from the native output`);
    times[name].push(s);
    ratios[name].push(n / s);
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const pct = (x) => `${(x * 100).toFixed(0)} %`;
console.log(`input ${(bytes / 1e6).toFixed(1)} MB, ${lines} documents; ${rounds} rounds (same output from every path in each)`);
console.log(`native CLI (whole process): median ${median(times.native).toFixed(2)} s, ${(bytes / median(times.native) / 1e6).toFixed(1)} MB/s`);
for (const [name] of paths) {
  const rs = ratios[name];
  console.log(`${(name + ':').padEnd(8)} median ${median(times[name]).toFixed(2)} s, ${(bytes / median(times[name]) / 1e6).toFixed(1)} MB/s; JS / native median ${pct(median(rs))} (${pct(Math.min(...rs))}–${pct(Math.max(...rs))})`);
}
