// End-to-end: the municipality page (/kommun) in Debian's headless Chromium,
// driven by playwright-core. A municipality signs in with its token through
// the page's own form (no JavaScript), sees the duties it must report with
// their purpose, flags and the uses the agency recorded, sees hostile text
// as text, and is refused another municipality's page.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer } = require('./server.js');

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (error) {
  throw new Error('Node packages missing: run scripts/install-deps.sh (' + error.message + ')');
}

const SERVER = process.env.INRAPPORTD;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
assert.ok(SERVER, 'INRAPPORTD must name the server binary');
assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} missing: run scripts/install-deps.sh`);

const TOKENS = { '0180': 'token-for-stockholm', '1283': 'token-for-helsingborg',
                 admin: 'token-for-the-administrator' };
const HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> =HYPERLINK("http://x")';

let server;
let serverLog;
let base;
let browser;
const scriptsRun = [];

async function api(method, route, body, who = 'admin') {
  let response;
  try {
    response = await fetch(base + route, {
      method,
      headers: { authorization: `Bearer ${TOKENS[who]}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    // Say why (fetch names it only in `cause`) and what the server logged.
    throw new Error(`${method} ${route}: ${error.message}: ${error.cause}\n` +
                    `server exit code: ${server.exitCode}, signal: ${server.signalCode}\n` +
                    `log:\n${serverLog ? serverLog() : ''}`);
  }
  const json = await response.json();
  assert.equal(response.status, 200, `${method} ${route}: ${JSON.stringify(json)}`);
  return json;
}

before(async () => {
  const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'inrapport-page-'));
  const sha = (text) => crypto.createHash('sha256').update(text).digest('hex');
  fs.writeFileSync(path.join(tmpdir, 'tokens'),
                   `${sha(TOKENS['0180'])} municipality:0180\n` +
                   `${sha(TOKENS['1283'])} municipality:1283\n` +
                   `${sha(TOKENS.admin)} admin\n`);
  const started = await startServer(
    SERVER, ['--listen=127.0.0.1:0', '--metrics_listen=127.0.0.1:0', '--http_listen=127.0.0.1:0',
             `--db=${path.join(tmpdir, 'e2e.db')}`, `--tokens_file=${path.join(tmpdir, 'tokens')}`],
    ['http']);
  server = started.server;
  serverLog = started.log;
  base = `http://${started.addresses.http}`;

  // Two duties for everyone, one only for Helsingborg; a use of one; the
  // hostile text in a title and a use's description.
  const duty = (id, title, purpose, extra = {}) => ({
    id, agencyId: 'socialstyrelsen', title, legalBasis: 'SoL 12 kap. 1 §', purpose,
    sector: 'SECTOR_SOCIAL_SERVICES', frequency: 'FREQUENCY_MONTHLY', dataItems: [id], ...extra,
  });
  await api('POST', '/v1/duties', duty('sos-ekb', 'Ekonomiskt bistånd',
                                       'Officiell statistik om ekonomiskt bistånd.'));
  await api('POST', '/v1/duties', duty('sos-x', `Enkät ${HOSTILE}`, ''));
  await api('POST', '/v1/duties', duty('sos-hbg', 'Bara Helsingborg', 'Ett försök i en kommun.',
                                       { respondents: ['1283'] }));
  await api('POST', '/v1/duties/sos-ekb/uses', {
    useId: 'ekb-2025', kind: 'USE_KIND_OFFICIAL_STATISTICS', date: '2025-06-01',
    firstPeriod: '2025-01', lastPeriod: '2025-03', description: `Statistiken publicerad ${HOSTILE}`,
  });
  const lastYear = new Date().getFullYear() - 1;
  await api('POST', '/v1/reports', {
    submissionId: 'a', municipalityCode: '0180', dutyId: 'sos-ekb', period: `${lastYear}-03`,
    minutesSpent: 90,
  }, '0180');

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60000,
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
});

test('a municipality signs in and sees why it reports what it reports', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(base + '/kommun');
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
  await page.fill('#kommun', '0180');
  await page.fill('#token', TOKENS['0180']);
  await Promise.all([page.waitForURL(base + '/kommun/0180'), page.click('button[type=submit]')]);

  assert.equal(await page.locator('h1').innerText(), 'Inrapportering för Stockholm (0180)');
  const duties = await page.locator('article h3').allInnerTexts();
  assert.deepEqual(duties, ['Ekonomiskt bistånd', `Enkät ${HOSTILE}`]);  // not Helsingborg's
  const ekb = page.locator('article', { has: page.locator('h3', { hasText: 'Ekonomiskt bistånd' }) });
  const text = await ekb.innerText();
  assert.match(text, /Officiell statistik om ekonomiskt bistånd\./);
  assert.match(text, /Vad hände med våra uppgifter\?/);
  assert.match(text, /Officiell statistik\s+Statistiken publicerad/);
  assert.match(text, /1,5 timmar \(1 inrapportering\)/);  // 90 minutes last year
  // What is due next has a heading of its own.
  assert.equal(await page.locator('h2#harnast').innerText(), 'Vad ska lämnas härnäst');
  // The use's table is labelled, with column headers.
  assert.equal(await ekb.locator('table caption').count(), 1);
  assert.equal(await ekb.locator('th[scope=col]').count(), 4);
  // The duty without a purpose is flagged for it, in Swedish.
  const other = page.locator('article', { has: page.locator('h3', { hasText: 'Enkät' }) });
  assert.match(await other.innerText(), /NO_STATED_PURPOSE: Uppgiftskravet/);
  // Hostile text shows as text: no element, no script ran.
  assert.equal(await page.locator('article img').count(), 0);
  assert.equal(await page.locator('script').count(), 0);
  // Printed, it is a handout: the duties without the navigation and the
  // note about printing, and it makes a PDF of more than one page's text.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav').isVisible(), false);
  assert.equal(await page.locator('p.skarm').isVisible(), false);
  assert.equal(await ekb.isVisible(), true);
  const pdf = await page.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  await context.close();
});

test('hostile text never runs, even with JavaScript on', async () => {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'inrapport_kommun', value: TOKENS['0180'],
                              url: base + '/kommun' }]);
  const page = await context.newPage();
  page.on('console', (message) => scriptsRun.push(message.text()));
  await page.goto(base + '/kommun/0180');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.match(await page.content(), /&lt;script&gt;window\.pwned=1&lt;\/script&gt;/);
  await context.close();
});

test("another municipality's page is refused, and no sign-in is no page", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.addCookies([{ name: 'inrapport_kommun', value: TOKENS['0180'],
                              url: base + '/kommun' }]);
  const page = await context.newPage();
  const refused = await page.goto(base + '/kommun/1283');
  assert.equal(refused.status(), 403);
  assert.match(await page.locator('h1').innerText(), /Du kan inte se den här kommunens sida/);
  await context.clearCookies();
  const anonymous = await page.goto(base + '/kommun/0180');
  assert.equal(anonymous.status(), 401);
  assert.equal(await page.locator('form[action="/kommun/logga-in"]').count(), 1);
  await context.close();
});
