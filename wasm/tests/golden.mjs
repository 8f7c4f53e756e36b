// The golden corpus (tests/golden/<dir>/NAME.in + .args + .out.jsonl), shared by the Node tests.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const goldenDir = join(root, 'tests', 'golden');

/** Every golden input: { name, text, zone, fields, expected } (the --timezone and --fields arguments). */
export function goldenCases() {
  const cases = [];
  for (const dir of readdirSync(goldenDir).sort()) {
    const d = join(goldenDir, dir);
    if (!statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d).sort()) {
      if (!f.endsWith('.in')) continue;
      const base = join(d, f.slice(0, -3));
      let args = '--timezone UTC';
      try { args = readFileSync(base + '.args', 'utf8'); } catch {}
      const words = args.split(/\s+/);
      const zone = words[words.indexOf('--timezone') + 1];
      const fields = words.includes('--fields') ? words[words.indexOf('--fields') + 1] : undefined;
      cases.push({
        name: `${dir}/${f}`,
        text: readFileSync(base + '.in', 'utf8'),
        zone,
        fields,
        expected: readFileSync(base + '.out.jsonl', 'utf8'),
      });
    }
  }
  return cases;
}

/** The input's non-blank lines, as the CLI sees them. */
export function lines(text) {
  return linesAt(text).map((l) => l.line);
}

/** As `lines`, each with where it starts in the file ({ line, at }: at in UTF-8 bytes). */
export function linesAt(text) {
  const out = [];
  let at = 0;
  for (const piece of text.split('\n')) {
    const line = piece.replace(/^\uFEFF/, '').replace(/\r$/, '');
    if (line.trim() !== '') out.push({ line, at });
    at += Buffer.byteLength(piece, 'utf8') + 1;
  }
  return out;
}

/** `doc` with its event.id value blanked. */
export function withoutId(doc) {
  return doc.replace(/"id":"[0-9a-f]{32}"/, '"id":"-"');
}

/** `s` with every non-ASCII character as \uXXXX, as Fluent Bit writes JSON record bodies. */
export function ascii(s) {
  return s.replace(/[^\x00-\x7f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** The record body Fluent Bit hands the filter for a line: {"log": line} from tail, the
 * event map for a JSON event, and "nps_timezone" when the server's zone is not UTC. */
export function recordFor(line, zone, offset = 0) {
  let isObject = false;
  // Nesting deeper than the transform's JSON reader accepts: passed as it is (as in the
  // native harness), so no zone key is added to it.
  if (maxDepth(line) > 100) return line;
  if (line.trimStart().startsWith('{')) {
    try { isObject = typeof JSON.parse(line) === 'object' && !Array.isArray(JSON.parse(line)); } catch {}
    if (!isObject) return line;
  }
  // tail with `Offset_Key offset`: where the line starts in its file.
  let body = isObject ? line : JSON.stringify({ log: line, offset });
  if (zone && zone !== 'UTC') {
    const inner = body.trimEnd().replace(/\}$/, '');
    const sep = inner.trimEnd().endsWith('{') ? '' : ',';
    body = `${inner}${sep}"nps_timezone":"${zone}"}`;
  }
  return ascii(body);
}

/** Deepest nesting of objects and arrays in JSON text. */
function maxDepth(s) {
  let depth = 0, max = 0, inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

/** Throws a short message at the first difference (whole documents can be megabytes). */
export function sameText(got, want, label) {
  if (got === want) return;
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  const at = (s) => JSON.stringify(s.slice(Math.max(0, i - 60), i + 60));
  throw new Error(`${label}: differs at character ${i}\n  got  ${at(got)}\n  want ${at(want)}`);
}
