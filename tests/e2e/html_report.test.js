// End-to-end: the arena report's HTML page in a real browser. The real
// inrapportd is loaded with the example data through the real CLI, the CLI
// writes the page, and Debian's headless Chromium (driven by playwright-core,
// which downloads no browser of its own) opens it from disk: it must render
// without errors or requests, and its bar chart must show the flagged duties
// that have a national estimate ranked, with bars as long as their figures.
// (The example data covers four of SKR's nine municipality groups, so none of
// its duties has a national estimate; examples/reports-other-groups.csv gives two of
// them reports from the other five.)
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (error) {
  throw new Error('Node packages missing: run scripts/install-deps.sh (' + error.message + ')');
}

const SERVER = process.env.INRAPPORTD;
const CLI = process.env.INRAPPORT_CLI;
const SOURCE_DIR = process.env.INRAPPORT_SOURCE_DIR;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
assert.ok(SERVER, 'INRAPPORTD must name the server binary');
assert.ok(CLI, 'INRAPPORT_CLI must name the CLI binary');
assert.ok(SOURCE_DIR, 'INRAPPORT_SOURCE_DIR must name the source directory');
assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} missing: run scripts/install-deps.sh`);

let server;
let serverLog = '';
let tmpdir;
let browser;
let page;
let pageUrl;
let englishUrl;
let report;  // the same report as JSON, the oracle for the page
const consoleErrors = [];
const pageErrors = [];
const failedRequests = [];
const foreignRequests = [];

function startServer() {
  server = spawn(SERVER, ['--listen=127.0.0.1:0', '--metrics_listen=127.0.0.1:0',
                          `--db=${path.join(tmpdir, 'e2e.db')}`],
                 { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('inrapportd did not log its port in 20 s:\n' + serverLog)), 20000);
    server.stderr.on('data', (chunk) => {
      serverLog += chunk.toString();
      const match = /event=listening service=grpc address=(\S+)/.exec(serverLog);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`inrapportd exited (${code}):\n${serverLog}`)));
  });
}

function cli(address, ...args) {
  return new Promise((resolve, reject) => {
    execFile(CLI, ['--server', address, ...args],
             { cwd: SOURCE_DIR, timeout: 60000, maxBuffer: 64 * 1024 * 1024 },
             (error, stdout, stderr) => {
               if (error) {
                 reject(new Error(
                   `inrapport ${args.join(' ')} failed: ${error.message}\n${stderr}`));
               } else {
                 resolve(stdout);
               }
             });
  });
}

before(async () => {
  tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'inrapport-html-'));
  const address = await startServer();
  await cli(address, 'import-duties', path.join(SOURCE_DIR, 'examples', 'duties.csv'));
  await cli(address, 'submit', path.join(SOURCE_DIR, 'examples', 'reports.csv'));
  await cli(address, 'submit', path.join(SOURCE_DIR, 'examples', 'reports-other-groups.csv'));
  // Swedish by default; the same report in English beside it.
  const htmlPath = path.join(tmpdir, 'arena.html');
  await cli(address, 'report', '--format', 'html', '--output', htmlPath);
  const englishPath = path.join(tmpdir, 'arena-en.html');
  await cli(address, 'report', '--format', 'html', '--lang', 'en', '--output', englishPath);
  report = JSON.parse(await cli(address, 'report', '--format', 'json'));
  pageUrl = pathToFileURL(htmlPath).href;
  englishUrl = pathToFileURL(englishPath).href;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60000,
  });
  // A laptop screen.
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  // Anything but the page itself is recorded and refused: the page must
  // need nothing from anywhere.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pageUrl || url === englishUrl) return route.continue();
    foreignRequests.push(url);
    return route.abort();
  });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('requestfailed', (request) => failedRequests.push(request.url()));
  const response = await page.goto(pageUrl, { waitUntil: 'load' });
  assert.ok(response === null || response.ok(), 'the page did not load');
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill('SIGKILL');
  if (tmpdir) fs.rmSync(tmpdir, { recursive: true, force: true });
});

test('the report renders in Swedish with no errors and no requests', async () => {
  assert.match(await page.title(),
               /^Statens uppgiftskrav på kommunerna: underlag för utvecklingsarenan \d{4}-\d{2}-\d{2}$/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'sv');
  assert.match(await page.locator('h1').innerText(), /Statens uppgiftskrav på kommunerna/);
  for (const heading of ['Sammanfattning', 'Utveckling per år', 'Börda per myndighet',
                         'Flaggade uppgiftskrav, efter nationell skattad kostnad', 'Metod']) {
    assert.ok(await page.getByRole('heading', { name: heading, exact: true }).isVisible(),
              `no heading "${heading}"`);
  }
  assert.ok(await page.locator('#flagged-duties-chart').isVisible());
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(failedRequests, []);
  assert.deepEqual(foreignRequests, []);
  assert.equal(await page.locator('script').count(), 0);
});

// Each bar of a chart with its label and printed figure, as laid out.
async function bars(chartId, dataName) {
  return page.evaluate(({ chartId, dataName }) => {
    const rows = [...document.querySelectorAll(`#${chartId} g.row`)];
    return rows.map((row) => {
      const rect = row.querySelector('rect.bar');
      const label = row.querySelector('text.label');
      const value = row.querySelector('text.value');
      const box = rect.getBoundingClientRect();
      const labelBox = label.getBoundingClientRect();
      return {
        key: rect.dataset[dataName],
        value: Number(rect.dataset.value),
        top: box.top, bottom: box.bottom, left: box.left, width: box.width,
        label: label.textContent, labelMiddle: (labelBox.top + labelBox.bottom) / 2,
        labelRight: labelBox.right,
        printed: value.textContent,
      };
    });
  }, { chartId, dataName });
}

function grouped(n) {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

function assertProportional(shown) {
  const top = shown[0];
  assert.ok(top.value > 0 && top.width > 200,
            `the longest bar is ${top.width} px for ${top.value}`);
  for (const bar of shown) {
    const expected = (bar.value / top.value) * top.width;
    assert.ok(Math.abs(bar.width - expected) < 1,
              `${bar.key}: ${bar.width} px for ${bar.value}, expected ${expected}`);
    assert.ok(Math.abs(bar.left - top.left) < 0.5, `${bar.key} does not start at the axis`);
  }
}

test('the flagged-duties chart has one bar per flagged duty with a national estimate, ranked, ' +
     'as long as its figure', async () => {
  const shown = await bars('flagged-duties-chart', 'duty');
  const estimable = report.flagged.filter((f) => f.account.national.estimable);
  assert.ok(estimable.length >= 2, 'fewer than two flagged duties have a national estimate');
  assert.ok(estimable.length < report.flagged.length, 'every flagged duty has an estimate');
  assert.deepEqual(shown.map((b) => b.key), estimable.map((f) => f.account.duty_id));
  assert.deepEqual(shown.map((b) => b.value),
                   estimable.map((f) => Math.round(f.account.national_cost_sek)));
  for (const f of report.flagged.filter((f) => !f.account.national.estimable)) {
    assert.equal(f.account.national_cost_sek, null, `${f.account.duty_id} has a national figure`);
  }
  for (let i = 1; i < shown.length; i++) {
    assert.ok(shown[i].top > shown[i - 1].top, `bar ${i} is not below bar ${i - 1}`);
    assert.ok(shown[i].value <= shown[i - 1].value, `bar ${i} is larger than bar ${i - 1}`);
  }
  assertProportional(shown);
  for (const bar of shown) {
    assert.equal(bar.label, bar.key);
    assert.ok(bar.labelMiddle > bar.top && bar.labelMiddle < bar.bottom,
              `the label of ${bar.key} is not beside its bar`);
    assert.ok(bar.labelRight <= bar.left, `the label of ${bar.key} overlaps its bar`);
    assert.equal(bar.printed, `${grouped(bar.value)} kr`);
  }
});

test('the agency chart shows the measured cost of every agency', async () => {
  const shown = await bars('agency-cost-chart', 'agency');
  assert.deepEqual(shown.map((b) => b.key), report.by_agency.map((row) => row.key));
  assert.deepEqual(shown.map((b) => b.value), report.by_agency.map((row) => row.cost_sek));
  assertProportional(shown);
});

test('the municipalities\' comments are shown exactly, as text', async () => {
  let shown = 0;
  for (const [i, duty] of report.flagged.entries()) {
    const texts = await page.locator(`#flagged-${i + 1} .comments q`).allTextContents();
    assert.deepEqual(texts, duty.comments.map((c) => c.comment), duty.account.duty_id);
    shown += texts.length;
  }
  assert.ok(shown > 0, 'no flagged duty quotes a comment');
});

test('the same report in English', async () => {
  const english = await page.context().newPage();
  await english.goto(englishUrl, { waitUntil: 'load' });
  assert.equal(await english.evaluate(() => document.documentElement.lang), 'en');
  assert.match(await english.locator('h1').innerText(), /Reporting burden on municipalities/);
  assert.ok(await english.getByRole('heading', { name: 'Trend by year', exact: true }).isVisible());
  const printed = await english.locator('#agency-cost-chart text.value').allTextContents();
  assert.ok(printed.length > 0 && printed.every((text) => / SEK$/.test(text)), printed.join());
  await english.close();
});

test('a screenshot shows the page', async () => {
  const file = process.env.INRAPPORT_SCREENSHOT || path.join(tmpdir, 'arena.png');
  await page.screenshot({ path: file, fullPage: true });
  const png = fs.readFileSync(file);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.equal(width, 1366);
  assert.ok(height > 2000, `a full page of ${height} px is too short for the report`);
  assert.ok(png.length > 50000,
            `${png.length} bytes is too little for a page of charts and tables`);
  // The chart alone, to see that it is drawn and not blank.
  const chart = await page.locator('#flagged-duties-chart').screenshot();
  assert.ok(chart.length > 5000, `the chart's screenshot is only ${chart.length} bytes`);
});
