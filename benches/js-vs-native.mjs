// Throughput of the JS package against the native CLI on the same input, in one run.
// Usage: node benches/js-vs-native.mjs [MB] [rounds] [--before DIR]   (after `cargo build
// --release --examples` and wasm/build.sh)
// --before DIR: another build of the package (a directory like wasm/npm, made from an older
// commit) whose lines() is measured in the same rounds as "before".
// Per core: the CLI runs with -j1, as the JS package has one thread. Each round runs, in
// turn, the CLI (whole process, file to file) and each JS path on the same file; every JS
// figure is a ratio to the CLI of its own round, and the median, least and greatest of
// those ratios are printed.
//   string   t.lines(text): the file's text already one JS string, the result one JS string
//            (as this bench measured before linesBytes)
//   bytes    t.linesBytes(buffer): the file's bytes already in a Buffer, the result a Uint8Array
//   stream   fs.createReadStream(file) → createTransform() (nps-enrich/stream) →
//            fs.createWriteStream(out): file to file, as the CLI
import { readFileSync, writeFileSync, mkdirSync, createReadStream, createWriteStream, openSync, closeSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const at = args.indexOf('--before');
const beforeDir = at >= 0 ? args.splice(at, 2)[1] : undefined;
const mb = Number(args[0] ?? 20);
const rounds = Number(args[1] ?? 5);
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

// CPU time as well as wall time: on a loaded machine a process waits for a core, and its
// CPU time is what it cost. The CLI's comes from `perf stat` (task-clock of the CLI alone,
// not of Node reading its pipe) when perf runs here ("-" otherwise); the JS paths' from
// process.cpuUsage() (every thread of this process: V8's compiler and GC threads too).
const cli = join(root, 'target/release/nps-enrich');
const perfOut = join(root, 'target/bench/js-vs-native.perf');
let perf = true;
try { execFileSync('perf', ['stat', '-x,', '-e', 'task-clock', '-o', perfOut, '--', 'true']); } catch { perf = false; }
// The CLI writes to a file, as `nps-enrich -j1 -t UTC in.log > out.ndjson` does (through a
// pipe to Node its wall time would include Node reading the pipe).
const cliOut = join(root, 'target/bench/js-vs-native.cli.ndjson');
function native() {
  gc();
  const args = ['-t', 'UTC', '-j1', file];
  const fd = openSync(cliOut, 'w');
  const t0 = now();
  const r = perf
    ? spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', '-o', perfOut, '--', cli, ...args], { stdio: ['ignore', fd, 'inherit'] })
    : spawnSync(cli, args, { stdio: ['ignore', fd, 'inherit'] });
  const wall = secs(t0);
  closeSync(fd);
  if (r.status !== 0) throw new Error(`the CLI failed: ${r.status} ${r.error ?? ''}`);
  const cpu = perf ? Number(/^([\d.]+),msec,task-clock/m.exec(readFileSync(perfOut, 'utf8'))[1]) / 1e3 : NaN;
  return [wall, readFileSync(cliOut), cpu];
}
// A full collection before each timed call (outside its time), so no path pays for the
// garbage of the one before it (a 92 MB output string, say).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
/** [wall s, result, CPU s] of `fn` (which may return a promise). */
async function timed(fn) {
  gc();
  const c0 = process.cpuUsage();
  const t0 = now();
  const out = await fn();
  const wall = secs(t0);
  const c = process.cpuUsage(c0);
  return [wall, out, (c.user + c.system) / 1e6];
}
const string = () => t.lines(text);
const bytesApi = () => t.linesBytes(input);
// File to file, as the CLI: what `pipeline(createReadStream(in), createTransform(),
// createWriteStream(out))` costs.
const jsOut = join(root, 'target/bench/js-vs-native.js.ndjson');
async function stream() {
  await pipeline(createReadStream(file), createTransform({ timezone: 'UTC' }), createWriteStream(jsOut));
  return { file: jsOut };
}

const paths = [['string', string], ['bytes', bytesApi], ['stream', stream]];
if (beforeDir) {
  const old = new (require(beforeDir).Transformer)({ timezone: 'UTC' });
  paths.unshift(['before', () => old.lines(text)]);
}
const wall = { native: [] }, cpu = { native: [] }, ratio = {}, cpuRatio = {};
for (const [name] of paths) { wall[name] = []; cpu[name] = []; ratio[name] = []; cpuRatio[name] = []; }
let lines = 0;
for (let r = 0; r < rounds; r++) {
  const [n, want, nc] = native();
  wall.native.push(n);
  cpu.native.push(nc);
  if (r === 0) lines = want.toString('latin1').split('\n').length - 1;
  for (const [name, run] of paths) {
    const [s, result, c] = await timed(run);
    const got = result.file ? readFileSync(result.file) : result;
    const same = typeof got === 'string' ? got === want.toString() : Buffer.compare(Buffer.from(got.buffer, got.byteOffset, got.length), want) === 0;
    if (!same) throw new Error(`${name}: the JS output differs from the native output`);
    wall[name].push(s);
    cpu[name].push(c);
    ratio[name].push(n / s);
    cpuRatio[name].push(nc / c);
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const pct = (x) => Number.isNaN(x) ? '-' : `${(x * 100).toFixed(0)} %`;
const range = (xs) => `${pct(median(xs))} (${pct(Math.min(...xs))}–${pct(Math.max(...xs))})`;
const mbs = (s) => `${(bytes / s / 1e6).toFixed(1)} MB/s`;
console.log(`input ${(bytes / 1e6).toFixed(1)} MB, ${lines} documents; ${rounds} rounds, the same output from every path in each`);
console.log(`path      wall s  CPU s  wall MB/s    JS / native, wall: median (least–most)   CPU: median (least–most)`);
const row = (name, w, c, rs, cs) => console.log(`${name.padEnd(8)} ${median(w).toFixed(2).padStart(6)} ${median(c).toFixed(2).padStart(6)}  ${mbs(median(w)).padStart(11)}  ${rs.padEnd(40)} ${cs}`);
row('native', wall.native, cpu.native, '', '');
for (const [name] of paths) row(name, wall[name], cpu[name], range(ratio[name]), range(cpuRatio[name]));
