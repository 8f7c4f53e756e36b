// Throughput of the JS package against the native CLI on the same input, in one run.
// Usage: node benches/js-vs-native.mjs [MB]   (after `cargo build --release` and wasm/build.sh)
// Per core: the CLI runs with -j1, as the JS package has one thread.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mb = Number(process.argv[2] ?? 20);
const pkg = createRequire(import.meta.url)(join(root, 'wasm', 'npm'));

// A mix: the generated IAS/ODBC/DTS corpus plus every Windows event shape.
const corpus = execFileSync(join(root, 'target/release/examples/gen_corpus'), ['mixed', '20000'], { maxBuffer: 1 << 30 }).toString();
const events = ['denial-6273-shapes.in', 'grant-6272-shapes.in']
  .map((f) => readFileSync(join(root, 'tests/golden/winevent', f), 'utf8')).join('');
let text = '';
while (text.length < mb * 1e6) text += corpus + events;
mkdirSync(join(root, 'target/bench'), { recursive: true });
const file = join(root, 'target/bench/js-vs-native.log');
writeFileSync(file, text);
const bytes = Buffer.byteLength(text);
const lines = text.split('\n').filter((l) => l.trim()).length;

function time(fn) {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e9, r];
}
const [native, out] = time(() => execFileSync(join(root, 'target/release/nps-enrich'), ['-t', 'UTC', '-j1', file], { maxBuffer: 2 ** 31 - 1 }));
const t = new pkg.Transformer({ timezone: 'UTC' });
const [js, jsOut] = time(() => t.lines(text));
if (jsOut !== out.toString()) throw new Error('the JS output differs from the native output');
const rate = (s) => `${(bytes / s / 1e6).toFixed(1)} MB/s, ${Math.round(lines / s).toLocaleString('en')} lines/s`;
console.log(`input ${(bytes / 1e6).toFixed(1)} MB, ${lines} lines (same output from both)`);
console.log(`native CLI (whole process): ${native.toFixed(2)} s  ${rate(native)}`);
console.log(`JS package in Node:         ${js.toFixed(2)} s  ${rate(js)}`);
console.log(`JS / native: ${((native / js) * 100).toFixed(0)} %`);
