// The npm package as `npm pack` would publish it: both builds, their types, the licences,
// and the one version the crate has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './golden.mjs';

test('npm pack --dry-run publishes what users need', () => {
  const dir = join(root, 'wasm', 'npm');
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: dir, encoding: 'utf8' }));
  const files = pack.files.map((f) => f.path).sort();
  for (const build of ['node', 'web']) {
    for (const f of ['nps_enrich_wasm.js', 'nps_enrich_wasm.d.ts', 'nps_enrich_wasm_bg.wasm']) {
      assert.ok(files.includes(`${build}/${f}`), `${build}/${f} in ${files}`);
    }
  }
  for (const f of ['LICENSE-MIT', 'LICENSE-APACHE', 'README.md', 'package.json', 'stream.js', 'stream.d.ts']) {
    assert.ok(files.includes(f), `${f} in ${files}`);
  }
  assert.ok(!files.some((f) => f.includes('node_modules') || f.endsWith('.rs')), files.join(' '));

  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const version = /\[workspace\.package\][^[]*?\nversion = "([^"]+)"/.exec(cargo)[1];
  assert.equal(pack.version, version);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  assert.equal(pkg.license, 'MIT OR Apache-2.0');
  assert.ok(pkg.types && pkg.exports['.'] && pkg.files);
});
