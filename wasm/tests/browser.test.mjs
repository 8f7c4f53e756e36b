// The playground in a real browser: Debian's Chromium driven by playwright-core, the page
// served on 127.0.0.1 by a static server started here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join, extname, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { root } from './golden.mjs';

const serveDir = join(root, 'wasm');
const outDir = join(root, 'target', 'playground');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

let server, browser, base;

before(async () => {
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(serveDir, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  await mkdir(outDir, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

const IAS = '192.168.10.4,,01/17/2008,13:13:40,IAS,NAPNPS,25,311 1 ::1 01/11/2008 07:10:03 182,8153,0,8111,1,44,950450616,6,2,4108,192.168.10.4,4116,0,4128,DHCP_NAPNET,7,1,8136,0,4154,NAP DHCP,4155,1,8133,{5D2AA831-8E70-4699-BB11-C46158B368E3} - 2008-01-17 04:13:03.106Z,8148,6.0.6000 0.0 x86 ドメイン コントローラ ,8129,NAPLAB\\NAPVISTA$,4127,7,8124,Windows セキュリティ正常性検証ツール..:非準拠 :データなし :なし :(0xc0ff0001 - システム正常性コンポーネントが有効になっていません。 ..):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ):(0x0 - ),4149,NAP DHCP 非準拠,4136,2,4142,0';

async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(`${base}/playground/index.html`);
  return { page, problems };
}

test('pasted lines decode into the table, with the JSON on click', async () => {
  const denial = (await readFile(join(root, 'tests/golden/winevent/denial-6273-shapes.in'), 'utf8')).split('\n')[3];
  const { page, problems } = await openPage();
  await page.fill('#input', [IAS, denial, 'not an NPS line'].join('\n'));
  await page.selectOption('#timezone', 'Asia/Tokyo');
  await page.click('#decode');
  await page.waitForSelector('#done[data-count="3"]', { state: 'attached', timeout: 30000 });
  const table = await page.textContent('#rows');
  for (const want of ['2008-01-17T13:13:40+09:00', 'nps.ias', 'access-accept', 'quarantine: Quarantine',
    'NAP DHCP 非準拠', 'WSHV: non-compliant', '✗ firewall 0xC0FF0001', '✓ antivirus', 'nps-access-denied',
    'K12.TX.US\\abusby', 'B8-E8-56-A8-D4-D9', 'The specified domain does not exist.', '802.1x (inferred)',
    'unknown_format']) {
    assert.ok(table.includes(want), `table lacks ${want}`);
  }
  assert.equal(await page.locator('#rows tr').count(), 3);
  assert.equal(await page.locator('#rows tr.error').count(), 1);
  await page.click('#rows tr:first-child');
  await page.waitForFunction(() => document.getElementById('detail').textContent.includes('"system_health"'));
  const detail = JSON.parse(await page.textContent('#detail'));
  assert.equal(detail.nps.system_health[0].items[0].code, '0xC0FF0001');
  await page.screenshot({ path: join(outDir, 'playground.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 50 MB file is read in slices without freezing the page', async () => {
  const line = IAS.replace(/ドメイン コントローラ /, 'x86');
  const count = Math.ceil((50 << 20) / (line.length + 2));
  const file = join(outDir, 'nps-50mb.log');
  await writeFile(file, (line + '\r\n').repeat(count));
  const { page, problems } = await openPage();
  // Record the longest gap between timer ticks on the page's thread while the file runs.
  await page.evaluate(() => {
    window.maxGap = 0;
    let last = performance.now();
    setInterval(() => { const now = performance.now(); window.maxGap = Math.max(window.maxGap, now - last); last = now; }, 20);
  });
  const t0 = Date.now();
  await page.setInputFiles('#file', file);
  await page.waitForSelector(`#done[data-count="${count}"]`, { state: 'attached', timeout: 240000 });
  const seconds = (Date.now() - t0) / 1000;
  const maxGap = await page.evaluate(() => window.maxGap);
  assert.equal(await page.inputValue('#progress').catch(() => null) ?? '100', '100');
  assert.ok(maxGap < 1500, `the page froze for ${maxGap} ms`);
  assert.equal(await page.locator('#rows tr').count(), 200); // one page of rows in the DOM
  assert.match(await page.textContent('#page'), new RegExp(`of ${Math.ceil(count / 200)}`));
  console.log(`# 50 MB, ${count} lines: ${seconds.toFixed(1)} s, longest main-thread gap ${maxGap.toFixed(0)} ms`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a file whose lines end at a lone \\r (or any mix) gives one row per line', async () => {
  const denial = (await readFile(join(root, 'tests/golden/winevent/denial-6273-shapes.in'), 'utf8')).split('\n')[3];
  const file = join(outDir, 'nps-cr.log');
  // (A pasted \r would not do: a textarea turns every line end into \n.)
  await writeFile(file, `${IAS}\r${denial}\r\nnot an NPS line\r\r${IAS}\r`);
  const { page, problems } = await openPage();
  await page.setInputFiles('#file', file);
  await page.waitForSelector('#done[data-count="4"]', { state: 'attached', timeout: 30000 });
  assert.equal(await page.locator('#rows tr').count(), 4);
  assert.equal(await page.locator('#rows tr.error').count(), 1);
  assert.match(await page.textContent('#rows'), /unknown_format/);
  assert.doesNotMatch(await page.textContent('#rows'), /multiple_lines/);
  assert.deepEqual(problems, []);
  await page.close();
});
